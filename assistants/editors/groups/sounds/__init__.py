"""Sounds: background and thinking sounds.

`form.py` the form, `describe.py` the plain words, `fields.html` the page, `script.js` (the volume
shown as it is dragged), `style.css`.
"""

from assistants.editors.group import Group
from assistants.editors.groups.sounds.describe import describe
from assistants.editors.groups.sounds.form import SoundsForm

GROUP = Group("sounds", form_class=SoundsForm, describe=describe, package="sounds")

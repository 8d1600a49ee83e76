"""Speech recognition: context for the transcriber and a pronunciation dictionary.

`form.py` the form, `describe.py` the plain words, `fields.html` the page, `script.js`, `style.css`.
"""

from assistants.editors.group import Group
from assistants.editors.groups.speech.describe import describe
from assistants.editors.groups.speech.form import SpeechForm

GROUP = Group("speech", form_class=SpeechForm, describe=describe, package="speech")

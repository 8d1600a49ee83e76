"""General: the name, the prompt, how the call opens and ends, the transcriber.

`form.py` the form, `describe.py` the plain words, `fields.html` the page, `script.js` greys out
the first sentence when the assistant waits to be spoken to.
"""

from assistants.editors.group import Group
from assistants.editors.groups.general.describe import describe
from assistants.editors.groups.general.form import GeneralForm

GROUP = Group("general", form_class=GeneralForm, describe=describe, package="general")

"""Language model: the kind of model and its settings.

`form.py` the form, `describe.py` the plain words, `fields.html` the page, `script.js` shows the
fields of the kind picked, `style.css`.
"""

from assistants.editors.group import Group
from assistants.editors.groups.llm.describe import describe
from assistants.editors.groups.llm.form import LlmForm

GROUP = Group("llm", form_class=LlmForm, describe=describe, package="llm")

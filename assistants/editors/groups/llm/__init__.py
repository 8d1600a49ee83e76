"""Language model: the kind of model and its settings.

`form.py` the form, `describe.py` the plain words, `fields.html` the page, `style.css` (which shows
the fields of the kind picked only).
"""

from assistants.editors.group import Group
from assistants.editors.groups.llm.describe import describe
from assistants.editors.groups.llm.form import LlmForm

GROUP = Group("llm", form_class=LlmForm, describe=describe, package="llm")

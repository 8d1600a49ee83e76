"""Data to extract: the structured-output fields and the extraction prompt.

`form.py` the form (its rows are editors/forms/schema.py, shared with the tools' input schemas),
`describe.py` the plain words, `fields.html` the page, `script.js`, `style.css`.
"""

from assistants.editors.group import Group
from assistants.editors.groups.structured_output.describe import describe
from assistants.editors.groups.structured_output.form import StructuredOutputForm

GROUP = Group(
    "structured-output",
    form_class=StructuredOutputForm,
    describe=describe,
    package="structured_output",
    live="live",
)

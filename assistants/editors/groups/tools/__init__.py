"""Tools: the HTTP tools the assistant can call.

`form.py` the form (a tool per row, each with its headers, query and input schema),
`request.py` a tool's request as it would be sent, `describe.py` the plain words, `fields.html`
and `_tool.html` the page, `script.js`, `style.css`.
"""

from assistants.editors.group import Group
from assistants.editors.groups.tools.describe import describe
from assistants.editors.groups.tools.form import ToolsForm

GROUP = Group("tools", form_class=ToolsForm, describe=describe, package="tools", live="live")

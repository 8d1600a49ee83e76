"""Messages: SMS and e-mail notifications.

`form.py` the form, `describe.py` the plain words, `fields.html` the page, `style.css`.
"""

from assistants.editors.group import Group
from assistants.editors.groups.messages.describe import describe
from assistants.editors.groups.messages.form import MessagesForm

GROUP = Group(
    "messages", form_class=MessagesForm, describe=describe, package="messages", live="live"
)

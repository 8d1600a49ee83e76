"""Integrations: Calendly, Slack, Zoho CRM.

`form.py` the form, `describe.py` the plain words, `fields.html` the page, `style.css`.
"""

from assistants.editors.group import Group
from assistants.editors.groups.integrations.describe import describe
from assistants.editors.groups.integrations.form import IntegrationsForm

GROUP = Group(
    "integrations",
    form_class=IntegrationsForm,
    describe=describe,
    package="integrations",
    live="live",
)

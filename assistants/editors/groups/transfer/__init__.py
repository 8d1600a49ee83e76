"""Transfer: handing the call to a person, and the number calls come from.

`form.py` the form (destinations as rows), `describe.py` the plain words, `fields.html` the page,
`style.css` what shows when. No script: the rows are the shared formset's, and numbers are shown
grouped by the server (PhoneInput).
"""

from assistants.editors.group import Group
from assistants.editors.groups.transfer.describe import describe
from assistants.editors.groups.transfer.form import TransferForm


class TransferGroup(Group):
    def preview(self, form: TransferForm) -> None:
        """ "Convert to a destination": the form itself shows the number as a row (nothing to
        fetch, nothing saved)."""


GROUP = TransferGroup("transfer", form_class=TransferForm, describe=describe, package="transfer")

"""FAQ: the answers the assistant may give, and the questions calls suggested.

`form.py` the form (a question per row), `describe.py` the plain words, `fields.html` the page,
`script.js`, `style.css`. The rules for FAQ items themselves are assistants/faq.py (shared with
the FAQ review). A save merges with what changed upstream instead of showing a conflict: items
that calls suggested meanwhile are kept.
"""

from __future__ import annotations

from collections.abc import Callable

from assistants.editors.group import Group
from assistants.editors.groups.faq.describe import describe
from assistants.editors.groups.faq.form import FaqForm


class FaqGroup(Group):
    def merge(self, form: FaqForm) -> Callable[[dict, dict], dict]:
        return form.merge

    @property
    def save_label(self) -> str:
        return "Save FAQ"


GROUP = FaqGroup("faq", form_class=FaqForm, describe=describe, package="faq", live="live")

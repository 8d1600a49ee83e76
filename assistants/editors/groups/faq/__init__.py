"""FAQ: the answers the assistant may give, and the questions calls suggested.

`form.py` the form (a question per row), `describe.py` the plain words, `fields.html` the page,
`script.js`, `style.css`. The rules for FAQ items themselves are assistants/faq.py (shared with
the FAQ review). A save merges with what changed upstream instead of showing a conflict: items
that calls suggested meanwhile are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistants import faq, snapshot
from assistants.editors.group import Group
from assistants.editors.groups.faq.describe import describe
from assistants.editors.groups.faq.form import FaqForm


class FaqGroup(Group):
    def merge(self, form: FaqForm) -> Callable[[dict, dict], dict]:
        return form.merge

    def sendable(self, name: str, value: Any) -> Any:
        """FAQ items go back as question and answer only; a question still waiting goes back
        blank (sending its draft would approve it)."""
        if name == "faq_items" and isinstance(value, list):
            return [faq.item_from_api(i).to_api() for i in snapshot.faq_items({"faq_items": value})]
        return super().sendable(name, value)

    @property
    def save_label(self) -> str:
        return "Save FAQ"


GROUP = FaqGroup("faq", form_class=FaqForm, describe=describe, package="faq", live="live")

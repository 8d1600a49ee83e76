"""FAQ: the questions the assistant may answer, and the AI suggestions waiting for review.

What is sent, and why a pending suggestion is sent with a blank answer, is explained in
assistants/faq.py. Saving merges with what Revox holds at that moment (see `merge`): a
suggestion that arrives while the form is open is kept, never dropped.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet

from assistants import faq
from assistants.cache.drafts import faq_drafts_of, with_kept_drafts
from assistants.editors.forms.base import GroupForm, MultilineField, TextField, live_row_forms
from assistants.snapshot import faq_items, text

QUESTION_REQUIRED = "Write the question, or remove this row."
ANSWER_REQUIRED = "Write the answer the assistant should give."
APPROVE_NEEDS_ANSWER = "Write an answer before approving this suggestion."
DUPLICATE = (
    "The same question is already asked in #{n}. Keep one: merge the answers and remove the other."
)
# Said under a row as its question is typed (the save then refuses it with DUPLICATE).
DUPLICATE_NOTE = "The same question is already asked in #{n}."


class FaqItemForm(forms.Form):
    question = TextField(
        required=False,
        label="Question",
        widget=forms.TextInput(attrs={"placeholder": "What callers ask"}),
    )
    answer = MultilineField(rows=2, required=False, label="Answer")
    # Who the row was when the form was opened: how a save tells "deleted here" from "new in
    # Revox", and "edited here" from "edited by a teammate".
    upstream_id = forms.CharField(required=False, widget=forms.HiddenInput)
    original_question = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    original_answer_digest = forms.CharField(required=False, widget=forms.HiddenInput)
    was_pending = forms.BooleanField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    # A toggle button (Bootstrap's btn-check), with or without JavaScript.
    approve = forms.BooleanField(
        required=False,
        label="Approve",
        widget=forms.CheckboxInput(attrs={"class": "btn-check", "data-faq-approve": True}),
    )

    def edited_row(self) -> faq.EditedRow:
        data = self.cleaned_data
        return faq.EditedRow(
            question=data.get("question") or "",
            answer=data.get("answer") or "",
            upstream_id=data.get("upstream_id") or "",
            original_question=data.get("original_question") or "",
            original_answer_digest=data.get("original_answer_digest") or "",
            was_pending=bool(data.get("was_pending")),
            approved=bool(data.get("approve")),
            deleted=bool(data.get("DELETE")),
            source=data.get("source") if data.get("source") in ("human", "ai") else "human",
        )

    def has_changed(self) -> bool:
        # The row editor numbers every row, the blank one at the end included; a number alone
        # is not content, so that row still counts as left blank.
        return bool(set(self.changed_data) - {"ORDER"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.has_changed() or data.get("DELETE"):
            return data
        row = self.edited_row()
        if not row.question.strip():
            self.add_error("question", QUESTION_REQUIRED)
        if row.approved and not row.answer.strip():
            self.add_error("answer", APPROVE_NEEDS_ANSWER)
        elif not row.stays_pending and not row.answer.strip():
            self.add_error("answer", ANSWER_REQUIRED)
        return data

    # -- for the template ------------------------------------------------------------------

    def _value(self, name: str) -> Any:
        return self[name].value()

    @property
    def is_pending(self) -> bool:
        value = self._value("was_pending")
        return value is True or value in ("True", "true", "on", "1")

    @property
    def is_ai(self) -> bool:
        return self._value("source") == "ai"

    @property
    def has_draft(self) -> bool:
        return self.is_pending and bool(text(self.initial.get("answer")).strip())


class BaseFaqFormSet(BaseFormSet):
    def clean(self) -> None:
        # Duplicates block the save, except a suggestion still waiting: it came from Revox, and
        # the review is where it is answered or removed.
        kept = live_row_forms(self)
        questions = [f.cleaned_data.get("question") or "" for f in kept]
        for position, earlier in faq.duplicate_of(questions).items():
            form = kept[position]
            if form.edited_row().stays_pending:
                continue
            form.add_error("question", DUPLICATE.format(n=earlier + 1))


FaqFormSet = formset_factory(
    FaqItemForm, formset=BaseFaqFormSet, extra=1, can_delete=True, can_order=True
)


class FaqForm(GroupForm):
    formset_classes = {"items": FaqFormSet}
    field_map = {"faq_items": ("items", {"question": "question", "answer": "answer"})}

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        rows = []
        items = faq_items(data)
        if data.get("id"):
            # The drafts Revox could not keep come back as the AI's suggestions they are.
            items = with_kept_drafts(items, faq_drafts_of(text(data.get("id"))))
        for item in items:
            loaded = faq.item_from_api(item)
            rows.append({
                "question": loaded.question,
                "answer": loaded.answer,
                "upstream_id": text(item.get("id")),
                "original_question": loaded.question,
                "original_answer_digest": faq.answer_digest(loaded.answer),
                "was_pending": loaded.pending,
                "source": loaded.source,
            })  # fmt: skip
        return {"items": rows}

    def edited_rows(self) -> list[faq.EditedRow]:
        """Every row as submitted, deleted ones included, in the user's order."""
        formset = self.formsets["items"]
        kept = [form.edited_row() for form in live_row_forms(formset)]
        deleted = [
            form.edited_row() for form in formset.forms
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get("DELETE")
        ]  # fmt: skip
        return kept + deleted

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        return {"faq_items": faq.api_value(faq.editor_items(self.edited_rows()), current)}

    def merge(self, current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
        """Revox's FAQ changed since the form was opened: instead of a conflict, fold the
        user's edits into what it holds now (rules in faq.merge)."""
        return {"faq_items": faq.api_value(faq.merge(self.edited_rows(), current), current)}

    # -- for the template ------------------------------------------------------------------

    def duplicate_notes(self) -> dict[str, str]:
        """{row prefix: note} for each row whose question, as typed, a row above it already
        asks (rows in the page's order, removed ones left out)."""
        formset = self.formsets["items"]
        rows = [f for f in formset.forms if not (formset.is_bound and f["DELETE"].value())]
        if formset.is_bound:

            def place(row: forms.Form) -> int:
                try:
                    return int(row["ORDER"].value())
                except (TypeError, ValueError):
                    return len(formset.forms) + int(row.prefix.rsplit("-", 1)[1])

            rows.sort(key=place)
        repeats = faq.duplicate_of(row["question"].value() or "" for row in rows)
        return {
            rows[at].prefix: DUPLICATE_NOTE.format(n=first + 1) for at, first in repeats.items()
        }

    def approve_notes(self) -> dict[str, str]:
        """{row prefix: note} for each suggestion approved, as typed, with no answer yet."""
        formset = self.formsets["items"]
        if not formset.is_bound:
            return {}
        return {
            row.prefix: APPROVE_NEEDS_ANSWER
            for row in formset.forms
            if row["approve"].value() and not (row["answer"].value() or "").strip()
        }

    @property
    def pending_count(self) -> int:
        return sum(1 for form in self.formsets["items"].initial_forms if form.is_pending)

    @property
    def draft_count(self) -> int:
        return sum(1 for form in self.formsets["items"].initial_forms if form.has_draft)

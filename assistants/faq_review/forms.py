"""The FAQ review's two small forms: one question's action (approve, answer, delete) and the CSV
upload."""

from __future__ import annotations

from django import forms

from assistants import faq
from assistants.faq_review.services import SNOOZE_CHOICES, SNOOZE_DEFAULT_HOURS


class ItemActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(k, k) for k in (faq.APPROVE, faq.ANSWER, faq.DELETE)])
    assistant = forms.CharField(max_length=64)
    upstream_id = forms.CharField(max_length=64, required=False)
    question = forms.CharField(strip=False)
    answer = forms.CharField(strip=False, required=False)
    assistant_name = forms.CharField(required=False)
    source = forms.CharField(required=False)
    pending = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=2000)


class SnoozeForm(forms.Form):
    """Skip one question for now, or (`undo`) bring it back."""

    assistant = forms.CharField(max_length=64)
    question = forms.CharField(strip=False)
    hours = forms.TypedChoiceField(
        choices=[(str(h), label) for h, label in SNOOZE_CHOICES],
        coerce=int,
        required=False,
        empty_value=SNOOZE_DEFAULT_HOURS,
    )
    undo = forms.BooleanField(required=False)
    upstream_id = forms.CharField(max_length=64, required=False)
    assistant_name = forms.CharField(required=False)
    source = forms.CharField(required=False)
    next = forms.CharField(required=False, max_length=2000)


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        allow_empty_file=True,  # refused by csv_read, with a plainer message
        help_text="A file exported from this page, with answers filled in. Rows are matched on "
        "assistant id and question; other columns are ignored.",
    )

"""The FAQ review's two small forms: one question's action (approve, answer, delete) and the CSV
upload."""

from __future__ import annotations

from django import forms

from assistants import faq


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


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        allow_empty_file=True,  # refused by csv_read, with a plainer message
        help_text="A file exported from this page, with answers filled in. Rows are matched on "
        "assistant id and question; other columns are ignored.",
    )

"""Integrations: Calendly bookings, Slack posts and Zoho CRM records, each switchable on and off.

Off sends null. On requires what the integration cannot work without. Keys a newer API adds to
an integration's settings are kept: the form only rewrites the keys it knows.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet

from assistants.editors.forms.base import (
    GroupForm,
    MultilineField,
    SwitchField,
    live_rows,
    optional_text,
)
from assistants.editors.forms.common import (
    OutcomesField,
    legacy_outcome_problem,
    outcome_choices,
    outcomes_patch,
    placeholders,
    text_or_stored,
    without_absent_nulls,
)

INTEGRATIONS = ("calendly", "slack", "zoho")
ZOHO_MODULES = ("Leads", "Contacts", "Accounts", "Deals")

REQUIRED_WHEN_ON = "Needed while {name} is on."
CHANNEL_NEEDED = "Add at least one channel to post to, or switch Slack off."
CHANNEL_ID_REQUIRED = "Enter the channel ID (e.g. C01234567)."
CHANNEL_ID_FORMAT = (
    "Use the channel ID (e.g. C01234567), not its #name: it is in the channel's details in Slack."
)
DUPLICATE_CHANNEL = "This channel is already in the list."
OUTCOMES_NEEDED = "Tick at least one outcome, or {name} never does anything."
MAPPING_SOURCE_REQUIRED = "Enter the call field to read, e.g. budget."
MAPPING_TARGET_REQUIRED = "Enter the Zoho field to fill, e.g. Budget__c."
DUPLICATE_TARGET = "Another row already fills this Zoho field."


def _switch(label: str) -> SwitchField:
    return SwitchField(label=label, marker="data-integration-switch")


def _id_field(label: str, placeholder: str, **kwargs: Any) -> forms.CharField:
    attrs = {"placeholder": placeholder, "autocomplete": "off", "spellcheck": "false"}
    return forms.CharField(required=False, label=label, max_length=500,
                           widget=forms.TextInput(attrs=attrs), **kwargs)  # fmt: skip


def _blank(data: dict[str, Any], *keys: str) -> bool:
    return not any(data.get(key) for key in keys)


class ChannelForm(forms.Form):
    id = _id_field("Channel ID", "e.g. C01234567")
    name = forms.CharField(required=False, label="Name (optional)", max_length=200,
                           widget=forms.TextInput(attrs={"placeholder": "e.g. sales-alerts"}))  # fmt: skip

    def clean_id(self) -> str:
        value = self.cleaned_data["id"]
        if value.startswith("#") or any(ch.isspace() for ch in value):
            raise forms.ValidationError(CHANNEL_ID_FORMAT)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("name") and not data.get("id") and "id" not in self.errors:
            self.add_error("id", CHANNEL_ID_REQUIRED)
        return data


class BaseChannelFormSet(BaseFormSet):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            channel = data.get("id")
            if channel and not data.get("DELETE"):
                if channel in seen:
                    form.add_error("id", DUPLICATE_CHANNEL)
                seen.add(channel)


class MappingForm(forms.Form):
    source = _id_field("From the call", "e.g. budget")
    zoho_field = _id_field("Into Zoho field", "e.g. Budget__c")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("zoho_field") and not data.get("source"):
            self.add_error("source", MAPPING_SOURCE_REQUIRED)
        if data.get("source") and not data.get("zoho_field"):
            self.add_error("zoho_field", MAPPING_TARGET_REQUIRED)
        return data


class BaseMappingFormSet(BaseFormSet):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            target = data.get("zoho_field")
            if target and not data.get("DELETE"):
                if target in seen:
                    form.add_error("zoho_field", DUPLICATE_TARGET)
                seen.add(target)


ChannelFormSet = formset_factory(
    ChannelForm, formset=BaseChannelFormSet, extra=1, can_delete=True, can_order=True
)
MappingFormSet = formset_factory(
    MappingForm, formset=BaseMappingFormSet, extra=1, can_delete=True, can_order=True
)


class IntegrationsForm(GroupForm):
    formset_classes = {"slack_channels": ChannelFormSet, "zoho_mapping": MappingFormSet}
    field_map = {
        "calendly": "calendly_on",
        "calendly.connection_id": "calendly_connection_id",
        "calendly.event_type_id": "calendly_event_type_id",
        "slack": "slack_on",
        "slack.connection_id": "slack_connection_id",
        "slack.channels": ("slack_channels", {"id": "id", "name": "name"}),
        "slack.outcomes": "slack_outcomes",
        "slack.template": "slack_template",
        "zoho": "zoho_on",
        "zoho.connection_id": "zoho_connection_id",
        "zoho.module": "zoho_module",
        "zoho.field_mapping": ("zoho_mapping", {"source": "source", "zoho_field": "zoho_field"}),
        "zoho.outcomes": "zoho_outcomes",
        "zoho.template": "zoho_template",
        "zoho.log_call_activity": "zoho_log_call_activity",
    }
    # Which formset belongs to which integration: its rows count only while it is on.
    formset_owner = {"slack_channels": "slack", "zoho_mapping": "zoho"}

    calendly_on = _switch("Book meetings in Calendly")
    calendly_connection_id = _id_field("Connection ID", "conn_cal_…",
                                       help_text="The link between your Calendly account and Revox.")  # fmt: skip
    calendly_event_type_id = _id_field(
        "Event type", "https://api.calendly.com/event_types/…",
        help_text="The kind of meeting to book, as Calendly names it (its event type URL or ID).",
    )  # fmt: skip

    slack_on = _switch("Post to Slack after calls")
    slack_connection_id = _id_field("Connection ID", "conn_slack_…",
                                    help_text="The link between your Slack workspace and Revox.")  # fmt: skip
    slack_outcomes = OutcomesField(label="Post when the call ended as")
    slack_template = MultilineField(
        rows=3, required=False, label="Message",
        help_text="You can use {{summary}}, {{outcome}}, {{phone}}, {{call_url}}, {{assistant_name}}, "
        "{{campaign_name}}, {{first_name}}, {{last_name}}, {{email}}, {{company}}, {{job_title}}, "
        "{{contact_name}}, {{contact_line}}, the prompt's variables and the extracted data. "
        "Empty: Revox's standard message.",
    )  # fmt: skip

    zoho_on = _switch("Record calls in Zoho CRM")
    zoho_connection_id = _id_field("Connection ID", "conn_zoho_…",
                                   help_text="The link between your Zoho CRM account and Revox.")  # fmt: skip
    zoho_module = _id_field("Module", "e.g. Leads",
                            help_text="Where the caller's record is created or updated, e.g. Leads or Contacts.")  # fmt: skip
    zoho_outcomes = OutcomesField(label="Record when the call ended as")
    zoho_template = MultilineField(
        rows=3, required=False, label="Note",
        help_text="Attached to the record. You can use {{summary}}, {{outcome}}, {{phone}}, {{call_url}}, "
        "{{assistant_name}}, {{campaign_name}}, {{transcript}}, the prompt's variables and the "
        "extracted data. Empty: Revox's standard note (outcome, summary and extracted data).",
    )  # fmt: skip
    zoho_log_call_activity = forms.BooleanField(
        required=False,
        label="Also log the call in Zoho's Calls module",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zoho_module"].widget.attrs["list"] = "zoho-modules"
        for name in ("slack", "zoho"):
            stored = self.assistant.get(name)
            outcomes = stored.get("outcomes") if isinstance(stored, dict) else None
            self.fields[f"{name}_outcomes"].choices = outcome_choices(outcomes)

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        calendly, slack, zoho = (_settings(data, name) for name in INTEGRATIONS)
        channels = slack.get("channels") if isinstance(slack.get("channels"), list) else []
        mapping = zoho.get("field_mapping") if isinstance(zoho.get("field_mapping"), list) else []
        return {
            "calendly_on": isinstance(data.get("calendly"), dict),
            "calendly_connection_id": _text(calendly.get("connection_id")),
            "calendly_event_type_id": _text(calendly.get("event_type_id")),
            "slack_on": isinstance(data.get("slack"), dict),
            "slack_connection_id": _text(slack.get("connection_id")),
            "slack_channels": [
                {"id": _text(c.get("id")), "name": _text(c.get("name"))}
                for c in channels if isinstance(c, dict)
            ],
            "slack_outcomes": _list(slack.get("outcomes")),
            "slack_template": _text(slack.get("template")),
            "zoho_on": isinstance(data.get("zoho"), dict),
            "zoho_connection_id": _text(zoho.get("connection_id")),
            "zoho_module": _text(zoho.get("module")),
            "zoho_mapping": [
                {"source": _text(m.get("source")), "zoho_field": _text(m.get("zoho_field"))}
                for m in mapping if isinstance(m, dict)
            ],
            "zoho_outcomes": _list(zoho.get("outcomes")),
            "zoho_template": _text(zoho.get("template")),
            "zoho_log_call_activity": zoho.get("log_call_activity") is True,
        }  # fmt: skip

    @property
    def zoho_modules(self) -> tuple[str, ...]:
        return ZOHO_MODULES

    @property
    def placeholders(self) -> dict[str, list[str]]:
        return {
            name: placeholders(self[name].value()) for name in ("slack_template", "zoho_template")
        }

    # -- validation ----------------------------------------------------------------------------

    def is_valid(self) -> bool:
        # Rows of an integration that is off are not validated: it will be sent as null.
        valid = forms.Form.is_valid(self)
        for name, formset in self.formsets.items():
            if self.cleaned_data.get(f"{self.formset_owner[name]}_on"):
                valid = formset.is_valid() and valid
        return valid

    @property
    def has_any_errors(self) -> bool:
        on = getattr(self, "cleaned_data", {})
        return bool(self.errors) or any(
            formset.total_error_count()
            for name, formset in self.formsets.items()
            if formset.is_bound and on.get(f"{self.formset_owner[name]}_on")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        required = {
            "calendly": ("Calendly", ("calendly_connection_id", "calendly_event_type_id")),
            "slack": ("Slack", ("slack_connection_id",)),
            "zoho": ("Zoho", ("zoho_connection_id", "zoho_module")),
        }
        for name, (title, fields) in required.items():
            if not data.get(f"{name}_on"):
                continue
            for field in fields:
                if field not in self.errors and not data.get(field):
                    self.add_error(field, REQUIRED_WHEN_ON.format(name=title))
            if (
                name != "calendly"
                and not data.get(f"{name}_outcomes")
                and f"{name}_outcomes" not in self.errors
            ):
                self.add_error(f"{name}_outcomes", OUTCOMES_NEEDED.format(name=title))
            if name != "calendly" and f"{name}_outcomes" not in self.errors:
                stored = self.assistant.get(name)
                problem = legacy_outcome_problem(
                    data.get(f"{name}_outcomes") or [],
                    stored.get("outcomes") if isinstance(stored, dict) else None,
                )
                if problem:
                    self.add_error(f"{name}_outcomes", problem)
        if data.get("slack_on"):
            formset = self.formsets["slack_channels"]
            if formset.is_valid() and not self._channels():
                self.add_error(None, CHANNEL_NEEDED)
        return data

    # -- the patch -----------------------------------------------------------------------------

    def _channels(self) -> list[dict[str, Any]]:
        channels = []
        for row in live_rows(self.formsets["slack_channels"]):
            if row.get("id"):
                channel = {"id": row["id"]}
                if row.get("name"):
                    channel["name"] = row["name"]
                channels.append(channel)
        return channels

    def _mapping(self) -> list[dict[str, str]]:
        return [
            {"source": row["source"], "zoho_field": row["zoho_field"]}
            for row in live_rows(self.formsets["zoho_mapping"])
            if row.get("source") and row.get("zoho_field")
        ]

    def to_patch(self, current: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        builders = {"calendly": self._calendly, "slack": self._slack, "zoho": self._zoho}
        patch: dict[str, Any] = {}
        for name, build in builders.items():
            stored = current.get(name)
            if not data[f"{name}_on"]:
                patch[name] = None
                continue
            settings = build(stored if isinstance(stored, dict) else {})
            patch[name] = stored if settings == stored else settings
        return without_absent_nulls(patch, current)

    def _calendly(self, stored: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        return {**stored, "connection_id": data["calendly_connection_id"],
                "event_type_id": data["calendly_event_type_id"]}  # fmt: skip

    def _slack(self, stored: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        channels = self._channels()
        stored_channels = stored.get("channels")
        if isinstance(stored_channels, list) and _pairs(stored_channels, "id", "name") == _pairs(
            channels, "id", "name"
        ):
            channels = stored_channels  # the same channels: keep how Revox spells them
        settings = {
            **stored,
            "connection_id": data["slack_connection_id"],
            "channels": channels,
            "outcomes": outcomes_patch(data["slack_outcomes"], stored.get("outcomes")),
        }
        _set_template(settings, data["slack_template"], stored)
        return settings

    def _zoho(self, stored: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        mapping = self._mapping()
        stored_mapping = stored.get("field_mapping")
        if isinstance(stored_mapping, list) and _pairs(
            stored_mapping, "source", "zoho_field"
        ) == _pairs(mapping, "source", "zoho_field"):
            mapping = stored_mapping
        settings = {
            **stored,
            "connection_id": data["zoho_connection_id"],
            "module": data["zoho_module"],
            "field_mapping": mapping,
            "outcomes": outcomes_patch(data["zoho_outcomes"], stored.get("outcomes")),
            "log_call_activity": data["zoho_log_call_activity"],
        }
        _set_template(settings, data["zoho_template"], stored)
        return settings


def _settings(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _list(value: Any) -> list:
    return list(value) if isinstance(value, list) else []


def _pairs(rows: list, first: str, second: str) -> list[tuple[Any, Any]]:
    """Rows as comparable pairs; a missing, null or empty optional value all mean "none"."""
    return [(r.get(first), r.get(second) or None) for r in rows if isinstance(r, dict)]


def _set_template(settings: dict[str, Any], typed: str, stored: dict[str, Any]) -> None:
    """An empty template means Revox's default: null, or left out when Revox has no key."""
    template = text_or_stored(optional_text(typed), stored.get("template"))
    if template is None and "template" not in stored:
        settings.pop("template", None)
    else:
        settings["template"] = template

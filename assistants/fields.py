"""The field registry: plain data about an assistant's fields, at the bottom of the app.

Which field groups there are (slug, title, the API fields each owns) and one label per field,
for every part that names a group or a field: the cache and history (which must not reach up
to the editors for a list of fields), the diff, the conflict table, the editors themselves.
Imports nothing of the app.

A group's editor (form, description, template, script) lives in its own folder,
`assistants/editors/groups/<slug>/`; adding a group is that folder and one line below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GroupFields:
    slug: str
    title: str
    icon: str  # a Bootstrap Icons name
    blurb: str
    fields: tuple[str, ...]

    def values(self, data: dict[str, Any]) -> dict[str, Any]:
        """This group's fields as Revox holds them (absent ones as None)."""
        return {name: data.get(name) for name in self.fields}


GROUP_FIELDS: dict[str, GroupFields] = {
    g.slug: g
    for g in (
        GroupFields("general", "General", "chat-square-text",
                    "Name, prompt, how the call opens and ends",
                    ("name", "prompt", "first_sentence", "first_sentence_mode",
                     "first_sentence_delay_ms", "end_of_call_sentence", "max_call_duration_secs",
                     "max_duration_end_message", "voicemail_message", "ivr_navigation_enabled",
                     "webhook_url", "stt_model")),
        GroupFields("voice", "Voice", "soundwave", "Who the caller hears", ("voice",)),
        GroupFields("retry", "Calling hours & retries", "clock-history",
                    "When calls may be placed and how often they are retried",
                    ("call_retry_config",)),
        GroupFields("faq", "FAQ", "question-circle", "Answers the assistant may give",
                    ("faq_items",)),
        GroupFields("structured-output", "Data to extract", "clipboard-data",
                    "What is collected from each call",
                    ("structured_output_config", "structured_output_prompt")),
        GroupFields("llm", "Language model", "cpu", "The model that does the talking",
                    ("llm_model",)),
        GroupFields("transfer", "Transfer", "telephone-forward",
                    "Handing the call to a person; the calling number",
                    ("transfer_destinations", "human_transfer_mode",
                     "warm_transfer_summary_instructions", "from_phone_number",
                     "precall_lookup_url")),
        GroupFields("sounds", "Sounds", "music-note-beamed", "Background and thinking sounds",
                    ("background_sound", "background_sound_volume", "thinking_sound",
                     "thinking_sound_probability", "thinking_sound_volume")),
        GroupFields("messages", "Messages", "envelope", "SMS and e-mail notifications",
                    ("sms_enabled", "sms_template", "after_call_sms_prompt",
                     "after_call_sms_outcomes", "voicemail_sms_prompt",
                     "email_notification_address", "email_notification_outcomes")),
        GroupFields("tools", "Tools", "tools", "HTTP tools the assistant can call",
                    ("custom_tools",)),
        GroupFields("integrations", "Integrations", "plug", "Calendly, Slack, Zoho CRM",
                    ("calendly", "slack", "zoho")),
        GroupFields("speech", "Speech recognition", "mic", "Context and pronunciation",
                    ("stt_context", "cartesia_dictionary_pronunciation_id")),
    )
}  # fmt: skip

# One name per field, wherever a field is named (history, diffs, the conflict table). A field
# not listed reads as its API name in words ("max_duration_end_message": "Max duration end
# message").
LABELS = {
    "llm_model": "Language model",
    "faq_items": "FAQ",
    "stt_model": "Transcriber",
    "stt_context": "Speech context",
    "max_call_duration_secs": "Maximum call duration (seconds)",
    "first_sentence_delay_ms": "Pause before speaking (ms)",
    "ivr_navigation_enabled": "Phone menu (IVR) navigation",
    "webhook_url": "Webhook URL",
    "call_retry_config": "Calling hours & retries",
    "calling_windows": "Calling windows",
    "calling_window_start_time": "Start",
    "calling_window_end_time": "End",
    "retry_delay_seconds": "Retry delay (seconds)",
    "structured_output_config": "Data to extract",
    "structured_output_prompt": "Extraction prompt",
    "custom_tools": "Tools",
    "api_key": "API key",
    "api_url": "API URL",
    "url": "URL",
    "id": "Id",
    "sms_enabled": "SMS enabled",
    "sms_template": "SMS template",
    "precall_lookup_url": "Pre-call lookup URL",
    "openrouter_model_id": "OpenRouter model",
    "cartesia_dictionary_pronunciation_id": "Cartesia pronunciation dictionary",
    "enum_options": "Options",
    "needs_human_answer": "Waiting for a human answer",
}


def label_for(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    return key.replace("_", " ").strip().capitalize() or key


def fields_changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The keys whose values differ, in the order they first appear."""
    return [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]

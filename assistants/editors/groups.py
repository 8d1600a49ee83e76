"""The registry of field groups: what the overview shows as cards and the editors edit.

Adding a group is a form module in `assistants/editors/forms/`, its template in
`templates/editors/`, and one line here. A group owns the API
fields it lists: saving it PATCHes those and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import cached_property
from django.utils.module_loading import import_string

from assistants.editors import describe


@dataclass(frozen=True)
class FieldGroup:
    slug: str
    title: str
    icon: str  # a Bootstrap Icons name
    blurb: str
    fields: tuple[str, ...]
    describe: Callable[..., describe.Rows]
    form_path: str = ""

    @cached_property
    def form_class(self) -> type | None:
        return import_string(self.form_path) if self.form_path else None

    def values(self, data: dict[str, Any]) -> dict[str, Any]:
        """This group's fields as Revox holds them (absent ones as None)."""
        return {name: data.get(name) for name in self.fields}


GROUPS: dict[str, FieldGroup] = {
    g.slug: g
    for g in (
        FieldGroup("general", "General", "chat-square-text",
                   "Name, prompt, how the call opens and ends",
                   ("name", "prompt", "first_sentence", "first_sentence_mode",
                    "first_sentence_delay_ms", "end_of_call_sentence", "max_call_duration_secs",
                    "max_duration_end_message", "voicemail_message", "ivr_navigation_enabled",
                    "webhook_url", "stt_model"),
                   describe.general, "assistants.editors.forms.general.GeneralForm"),
        FieldGroup("voice", "Voice", "soundwave", "Who the caller hears",
                   ("voice",), describe.voice, "assistants.editors.forms.voice.form.VoiceForm"),
        FieldGroup("retry", "Calling hours & retries", "clock-history",
                   "When calls may be placed and how often they are retried",
                   ("call_retry_config",), describe.retry, "assistants.editors.forms.retry.plan.RetryForm"),
        FieldGroup("faq", "FAQ", "question-circle", "Answers the assistant may give",
                   ("faq_items",), describe.faq, "assistants.editors.forms.faq.FaqForm"),
        FieldGroup("structured-output", "Data to extract", "clipboard-data",
                   "What is collected from each call",
                   ("structured_output_config", "structured_output_prompt"),
                   describe.structured_output,
                   "assistants.editors.forms.structured_output.StructuredOutputForm"),
        FieldGroup("llm", "Language model", "cpu", "The model that does the talking",
                   ("llm_model",), describe.llm, "assistants.editors.forms.llm.LlmForm"),
        FieldGroup("transfer", "Transfer", "telephone-forward",
                   "Handing the call to a person; the calling number",
                   ("transfer_destinations", "human_transfer_mode",
                    "warm_transfer_summary_instructions", "from_phone_number",
                    "precall_lookup_url"),
                   describe.transfer, "assistants.editors.forms.transfer.TransferForm"),
        FieldGroup("sounds", "Sounds", "music-note-beamed", "Background and thinking sounds",
                   ("background_sound", "background_sound_volume", "thinking_sound",
                    "thinking_sound_probability", "thinking_sound_volume"),
                   describe.sounds, "assistants.editors.forms.sounds.SoundsForm"),
        FieldGroup("messages", "Messages", "envelope", "SMS and e-mail notifications",
                   ("sms_enabled", "sms_template", "after_call_sms_prompt",
                    "after_call_sms_outcomes", "voicemail_sms_prompt",
                    "email_notification_address", "email_notification_outcomes"),
                   describe.messages, "assistants.editors.forms.messages.MessagesForm"),
        FieldGroup("tools", "Tools", "tools", "HTTP tools the assistant can call",
                   ("custom_tools",), describe.tools, "assistants.editors.forms.tools.ToolsForm"),
        FieldGroup("integrations", "Integrations", "plug", "Calendly, Slack, Zoho CRM",
                   ("calendly", "slack", "zoho"), describe.integrations,
                   "assistants.editors.forms.integrations.IntegrationsForm"),
        FieldGroup("speech", "Speech recognition", "mic", "Context and pronunciation",
                   ("stt_context", "cartesia_dictionary_pronunciation_id"), describe.speech,
                   "assistants.editors.forms.speech.SpeechForm"),
    )
}  # fmt: skip


def get_group(slug: str) -> FieldGroup | None:
    return GROUPS.get(slug)

"""Every body the dashboard sends Revox, captured at its client's transport while the real
views run, is one the official SDK's request models allow (strictly: no unknown key at any
level, every list looked into, the wire's own key names).

Driven: every group editor of every demo assistant, each with changes that set and that clear
(so that "empty" is said the way Revox takes it), create, clone, import, restore, recreate, the
FAQ review's bulk action and CSV import, and a voice preview.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from revox.types import AssistantCreateParams, AssistantUpdateParams, VoicePreviewParams

from assistants.editors.groups import GROUPS
from assistants.models import Assistant, Change
from tests.contract.sdk_contract import validate_body
from tests.editors.conftest import editor_url, open_editor
from tests.html_forms import as_post, form_fields
from tests.jobs.inline import run_queued_jobs

pytestmark = pytest.mark.django_db

CONTRACT = {
    ("PATCH", "/assistants/"): AssistantUpdateParams,
    ("POST", "/assistants"): AssistantCreateParams,
    ("POST", "/voices/preview"): VoicePreviewParams,
}


def params_type(method: str, path: str) -> type:
    if method == "PATCH" and path.startswith("/assistants/"):
        return AssistantUpdateParams
    if (method, path) in CONTRACT:
        return CONTRACT[(method, path)]
    raise AssertionError(f"a body the contract does not cover: {method} {path}")


def assert_all_valid(sent) -> None:
    assert sent, "nothing was sent"
    for method, path, body in sent:
        validate_body(params_type(method, path), body)


# -- group editors: changes a person would make -----------------------------------------------

Change_ = Callable[[MultiValueDict, Assistant], dict[str, Any]]


def total(data: MultiValueDict, prefix: str) -> int:
    return int(data.get(f"{prefix}-TOTAL_FORMS", "0"))


def add_row(data: MultiValueDict, prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    """A new row at the end of a formset, as the page's "Add" does."""
    index = total(data, prefix)
    row = {f"{prefix}-{index}-{name}": value for name, value in values.items()}
    return {f"{prefix}-TOTAL_FORMS": str(index + 1), **row}


def delete_rows(data: MultiValueDict, prefix: str) -> dict[str, Any]:
    """Every filled row of a formset ticked for removal."""
    return {
        f"{prefix}-{i}-DELETE": "on"
        for i in range(total(data, prefix))
        if any(
            data.get(key) for key in data if key.startswith(f"{prefix}-{i}-") and key.count("-") == 2
            and not key.endswith(("ORDER", "DELETE", "source", "was_pending"))
        )
    }  # fmt: skip


def other_voice(data, assistant) -> dict[str, Any]:
    current = data.get("voice", "")
    choice = "gradium:emma-en" if not current.startswith("gradium:") else "cartesia:" + (
        "6513270e-269e-4d37-b2a7-4de452e6b438"
    )  # fmt: skip
    return {"voice": choice, "speed": "1.15", "volume": "1.3", "model": "sonic-3.5"}


def account_voice(data, assistant) -> dict[str, Any]:
    return {"voice": "custom", "provider": "elevenlabs", "custom_voice_id": "Jq8RkW2vYz5nTbL4cXm7",
            "speed": "0.9"}  # fmt: skip


def new_tool(data: MultiValueDict) -> dict[str, Any]:
    index = total(data, "tools")
    prefix = f"tools-{index}"
    nested = {f"{prefix}-{name}-{kind}": "0" for name in ("headers", "query", "schema")
              for kind in ("TOTAL_FORMS", "INITIAL_FORMS")}  # fmt: skip
    return {
        "tools-TOTAL_FORMS": str(index + 1), **nested,
        f"{prefix}-name": "check_opening", f"{prefix}-method": "POST",
        f"{prefix}-description": "Check whether a slot is free.",
        f"{prefix}-url": "https://api.example.com/slots", f"{prefix}-body_template": '{"day": "{{day}}"}',
        f"{prefix}-headers-TOTAL_FORMS": "1", f"{prefix}-headers-0-key": "X-Key",
        f"{prefix}-headers-0-value": "{{api_key}}",
        f"{prefix}-schema-TOTAL_FORMS": "1", f"{prefix}-schema-0-name": "day",
        f"{prefix}-schema-0-type": "date", f"{prefix}-schema-0-required": "on",
    }  # fmt: skip


CHANGES: dict[str, list[Change_]] = {
    "general": [
        lambda d, a: {"name": a.name + " (edited)", "first_sentence_mode": "static",
                      "first_sentence": "Hello {{first_name}}!", "end_of_call_sentence": "Goodbye!",
                      "webhook_url": "https://hooks.example.com/done", "voicemail_message": "Call back.",
                      "max_duration_end_message": "Time is up."},
        lambda d, a: {"first_sentence_mode": "generated", "first_sentence": "",
                      "end_of_call_sentence": "", "webhook_url": "", "voicemail_message": "",
                      "max_duration_end_message": "", "stt_model": "stt-rt-v4"},
    ],
    "voice": [other_voice, account_voice],
    "retry": [
        lambda d, a: {"custom": "on", **delete_rows(d, "windows"),
                      **add_row(d, "windows", {"start": "9am", "end": "17:30", "delay_hours": "1",
                                               "delay_minutes": "0"}),
                      "max_retry_attempts": "4", "allowed_days": ["monday", "wednesday"],
                      "timezone": "Europe/Paris", "call_twice_in_a_row": "on"},
        lambda d, a: {"custom": []},  # back to Revox's defaults, sent as such (no null)
    ],
    "faq": [
        lambda d, a: add_row(d, "items", {"question": "Do you sell gift cards?", "answer": "Yes."}),
        lambda d, a: delete_rows(d, "items"),
    ],
    "structured-output": [
        lambda d, a: {**add_row(d, "fields", {"name": "caller_email", "type": "string",
                                              "required": "on", "description": "Their e-mail"}),
                      "prompt": "Read {{transcript}} carefully."},
        lambda d, a: {**delete_rows(d, "fields"), "prompt": ""},
    ],
    "llm": [
        lambda d, a: {"kind": "openrouter", "openrouter_model_id": "openai/gpt-4.1",
                      "openrouter_provider": "nebius"},
        lambda d, a: {"kind": "realtime", "realtime_provider": "google",
                      "realtime_model_id": "gemini-live", "realtime_voice_id": ""},
        lambda d, a: {"kind": "custom", "api_url": "https://llm.example.com/v1",
                      "model_name": "llama-3-70b", "api_key": "sk-contract-test"},
    ],
    "transfer": [
        lambda d, a: {**add_row(d, "destinations", {"label": "Contract desk",
                                                    "phone_number": "+1 415 555 0199"}),
                      "human_transfer_mode": "warm", "warm_transfer_summary_instructions": "Be brief.",
                      "from_phone_number": "+14155550100",
                      "precall_lookup_url": "https://crm.example.com/lookup?phone={{phone}}"},
        lambda d, a: {**delete_rows(d, "destinations"), "human_transfer_mode": "",
                      "warm_transfer_summary_instructions": "", "from_phone_number": "",
                      "precall_lookup_url": ""},
    ],
    "sounds": [
        lambda d, a: {"background_on": "on", "background_sound_volume": "0.55",
                      "thinking_sound": "hold_music.ogg", "thinking_sound_probability": "0.4",
                      "thinking_sound_volume": "0.6"},
        lambda d, a: {"background_on": [], "thinking_sound": ""},
    ],
    "messages": [
        lambda d, a: {"sms_enabled": "on", "sms_template": "Hi {{first_name}}",
                      "after_call_sms_prompt": "Thank them.", "after_call_sms_outcomes": ["interested"],
                      "voicemail_sms_prompt": "We called.", "email_notification_address": "ops@example.com",
                      "email_notification_outcomes": ["completed", "none"]},
        lambda d, a: {"sms_enabled": [], "sms_template": "", "after_call_sms_prompt": "",
                      "after_call_sms_outcomes": [], "voicemail_sms_prompt": "",
                      "email_notification_address": "", "email_notification_outcomes": []},
    ],
    "tools": [lambda d, a: new_tool(d), lambda d, a: delete_rows(d, "tools")],
    "integrations": [
        lambda d, a: {"calendly_on": "on", "calendly_connection_id": "conn_1",
                      "calendly_event_type_id": "https://api.calendly.com/event_types/x",
                      "slack_on": "on", "slack_connection_id": "slack_1",
                      **add_row(d, "slack_channels", {"id": "C0123", "name": "sales"}),
                      "slack_outcomes": ["interested"], "zoho_on": "on", "zoho_connection_id": "zoho_1",
                      "zoho_module": "Leads", **add_row(d, "zoho_mapping", {"source": "email",
                                                                             "zoho_field": "Email"}),
                      "zoho_outcomes": ["completed"], "zoho_log_call_activity": "on"},
        lambda d, a: {"calendly_on": [], "slack_on": [], "zoho_on": []},
    ],
    "speech": [
        lambda d, a: {**add_row(d, "stt_general", {"key": "Company", "value": "Revox"}),
                      "terms": "Revox, Brightsmile", "cartesia_dictionary_pronunciation_id": "pdict_1"},
        lambda d, a: {**delete_rows(d, "stt_general"), "terms": "",
                      "cartesia_dictionary_pronunciation_id": ""},
    ],
}  # fmt: skip


def post_data(data: MultiValueDict, changes: dict[str, Any]) -> dict[str, list[str]]:
    post = as_post(data)
    for key, value in changes.items():
        if value == []:
            post.pop(key, None)  # an unticked box is not sent at all
        else:
            post[key] = value if isinstance(value, list) else [value]
    return post


def test_every_group_change_of_every_demo_assistant_sends_what_the_sdk_allows(
    synced, editor_client, sent
):
    assert set(CHANGES) == set(GROUPS), "every group has changes to make"
    assistants = list(Assistant.objects.order_by("name"))
    for assistant in assistants:
        for slug, changes in CHANGES.items():
            before = len(sent)
            for change in changes:
                _, data = open_editor(editor_client, assistant.revox_id, slug)
                response = editor_client.post(
                    editor_url(assistant.revox_id, slug), post_data(data, change(data, assistant))
                )
                form = response.context["form"] if response.context else None
                assert response.status_code == 302, (assistant.name, slug, form and form.errors,
                    form and [fs.errors for fs in form.formsets.values()])  # fmt: skip
            patches = [s for s in sent[before:] if s[0] == "PATCH"]
            assert patches, f"{assistant.name}: no change of {slug} reached Revox"
    assert_all_valid(sent)
    assert len(sent.paths("PATCH")) >= len(assistants) * len(GROUPS)
    assert Change.objects.filter(kind="update").count() == len(sent.paths("PATCH"))


# -- the other writes -------------------------------------------------------------------------


def test_create_clone_delete_send_what_the_sdk_allows(synced, admin_client_, sent):
    response = admin_client_.post("/assistants/new/", {
        "name": "Front desk", "prompt": "Answer calls.", "first_sentence": "Hello!",
        "voice": "cartesia:6513270e-269e-4d37-b2a7-4de452e6b438", "llm_model": "gpt-4.1",
    })  # fmt: skip
    assert response.status_code == 302
    admin_client_.post("/assistants/new/", {"name": "Bare", "prompt": "Be brief."})
    new_id = response["Location"].strip("/").split("/")[-1]
    assert admin_client_.post(f"/assistants/{new_id}/clone/").status_code == 302
    assert_all_valid(sent)
    assert sent.paths("POST") == ["/assistants", "/assistants"]  # a clone sends no body


def test_import_recreate_and_restore_send_what_the_sdk_allows(synced, admin_client_, sent):
    for assistant in list(Assistant.objects.all()):
        document = json.loads(
            admin_client_.get(f"/assistants/{assistant.revox_id}/export/").content
        )
        file = io.BytesIO(json.dumps(document).encode())
        file.name = "assistant.json"
        response = admin_client_.post("/assistants/import/", {"file": file, "api_key": "sk-x"})
        assert response.status_code == 302, (assistant.name, response.content[-2000:])
    # An export made by an older Revox: its single transfer number, an outcome since retired,
    # and nulls where today's API takes none.
    older = {**document["assistant"], "transfer_phone_number": "+61395550123",
             "transfer_destinations": None, "voice": None, "call_retry_config": None,
             "first_sentence": None, "first_sentence_mode": "generated", "webhook_url": None,
             "structured_output_config": None,
             "email_notification_outcomes": ["do_not_contact", "completed"]}  # fmt: skip
    file = io.BytesIO(json.dumps({**document, "assistant": older}).encode())
    file.name = "older.json"
    response = admin_client_.post("/assistants/import/", {"file": file}, follow=True)
    page = response.content.decode()
    assert "“Transfer line” destination" in page, page[-3000:]
    assert "(“Do not contact”) were left out of the e-mail notifications" in page

    gone = Assistant.objects.order_by("name").first()
    admin_client_.post(f"/assistants/{gone.revox_id}/delete/", {"confirm_name": gone.name})
    assert (
        admin_client_.post(
            f"/assistants/{gone.revox_id}/recreate/", {"api_key": "sk-y"}
        ).status_code
        == 302
    )

    target = Assistant.objects.order_by("name").last()
    _, data = open_editor(admin_client_, target.revox_id, "voice")
    admin_client_.post(
        editor_url(target.revox_id, "voice"), post_data(data, other_voice(data, target))
    )
    change = Change.objects.filter(assistant_revox_id=target.revox_id, group="voice").latest("id")
    history = admin_client_.get(f"/assistants/{target.revox_id}/history/").content
    restore = form_fields(history, None)  # the first restore form on the page
    response = admin_client_.post(
        f"/assistants/{target.revox_id}/history/{change.pk}/restore/",
        {"side": "before", "fingerprint": restore["fingerprint"]},
    )
    assert response.status_code == 302
    assert Change.objects.filter(kind="restore", assistant_revox_id=target.revox_id).exists()
    assert_all_valid(sent)
    assert len(sent.paths("PATCH")) == 2  # the voice change and its restore


def test_faq_review_bulk_and_csv_import_send_what_the_sdk_allows(synced, editor_client, sent):
    page = editor_client.get("/faq-review/")
    rows = page.context["rows"][:6]
    data = {"action": "approve", "item": [r.key for r in rows],
            **{f"question:{r.key}": r.question for r in rows}}  # fmt: skip
    assert editor_client.post("/faq-review/bulk/", data).status_code == 302
    run_queued_jobs()  # what the job worker does

    export = editor_client.get("/faq-review/export.csv").getvalue().decode().lstrip("\ufeff")
    records = list(csv.DictReader(io.StringIO(export, newline="")))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]))
    writer.writeheader()
    for record in records:
        writer.writerow({**record, "answer": record["answer"] or "Yes, we do.", "pending": "no"})
    file = SimpleUploadedFile("answers.csv", out.getvalue().encode(), "text/csv")
    preview = editor_client.post("/faq-review/import/", {"file": file})
    done = editor_client.post("/faq-review/import/apply/", {"token": preview.context["token"]})
    assert done.status_code == 302
    run_queued_jobs()
    assert_all_valid(sent)
    assert len(sent.paths("PATCH")) > len({r.revox_id for r in rows})


def test_a_voice_preview_sends_what_the_sdk_allows(synced, editor_client, sent):
    for query in (
        {"provider": "cartesia", "voice_id": "6513270e-269e-4d37-b2a7-4de452e6b438",
         "speed": "1.2", "volume": "0.8", "model": "sonic-3.5", "text": "Hello!"},
        {"provider": "elevenlabs", "voice_id": "Jq8RkW2vYz5nTbL4cXm7", "speed": "0.9",
         "volume": "1.5", "model": "sonic-3"},  # volume and model are not sent for ElevenLabs
    ):  # fmt: skip
        assert editor_client.get("/voices/preview/", query).status_code == 200
    assert_all_valid(sent)
    assert [set(body) for _, _, body in sent] == [
        {"provider", "voiceId", "speed", "volume", "model", "text"},
        {"provider", "voiceId", "speed", "text"},
    ]

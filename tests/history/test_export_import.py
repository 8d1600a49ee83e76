"""Export an assistant as JSON; import such a file as a new assistant."""

from __future__ import annotations

import io
import json

import pytest

from assistants import snapshot
from assistants.history.forms import FILE_NOT_EXPORT, FILE_NOT_JSON, FILE_TOO_BIG, IMPORT_MAX_BYTES
from assistants.history.services import EXPORT_FORMAT
from assistants.models import Assistant, Change
from sandbox import demo
from tests.history.conftest import CANARY, CUSTOM_LLM

pytestmark = pytest.mark.django_db


def export(client, revox_id: str) -> dict:
    response = client.get(f"/assistants/{revox_id}/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return json.loads(response.content)


def upload(client, document, *, name: str = "assistant.json", **extra):
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    file = io.BytesIO(raw)
    file.name = name
    return client.post("/assistants/import/", {"file": file, **extra})


def comparable(data: dict) -> dict:
    return snapshot.writable_fields(data)


@pytest.mark.parametrize(
    "source", [demo.DENTAL, demo.INSURANCE, demo.RESTAURANT, demo.CAR_SERVICE, demo.HOTEL]
)
def test_export_then_import_gives_an_equal_assistant(synced, admin_client_, source):
    document = export(admin_client_, source)
    assert document["format"] == EXPORT_FORMAT
    assert document["source"] == {"assistant_id": source, "name": synced.get(source)["name"]}
    assert "id" not in document["assistant"] and "created_at" not in document["assistant"]

    response = upload(admin_client_, document)

    assert response.status_code == 302, response.content.decode()[-3000:]
    new_id = response["Location"].strip("/").split("/")[-1]
    assert new_id != source
    original, imported = comparable(synced.get(source)), comparable(synced.get(new_id))
    assert imported == original  # every writable field, FAQ as question/answer
    entry = Change.objects.get(assistant_revox_id=new_id)
    assert entry.kind == "import" and synced.get(source)["name"] in entry.summary


def test_every_demo_assistant_round_trips(synced, admin_client_):
    for assistant in list(Assistant.objects.all()):
        original = synced.get(assistant.revox_id)
        # The key is never exported: whoever imports types it in again.
        key = (original.get("llm_model") or {}).get("api_key", "")
        response = upload(admin_client_, export(admin_client_, assistant.revox_id), api_key=key)
        assert response.status_code == 302, (assistant.name, response.content.decode()[-2000:])
        new_id = response["Location"].strip("/").split("/")[-1]
        assert comparable(synced.get(new_id)) == comparable(original), assistant.name


def test_every_demo_assistant_passes_the_editors_checks(synced, admin_client_):
    from assistants.history.forms import editor_problems
    from assistants.history.services import create_params

    for assistant in Assistant.objects.all():
        params, _ = create_params(
            export(admin_client_, assistant.revox_id)["assistant"], api_key="sk-typed-in"
        )
        assert editor_problems(params) == [], assistant.name


def test_the_custom_llm_key_is_never_exported(revox, db, admin_client_, viewer_client):
    created = revox.create(llm_model=CUSTOM_LLM)
    for client in (admin_client_, viewer_client):  # every signed-in role may export
        response = client.get(f"/assistants/{created['id']}/export/")
        assert response.status_code == 200
        assert (
            CANARY not in response.content.decode() and "secret:" not in response.content.decode()
        )
    document = json.loads(response.content)
    assert document["assistant"]["llm_model"] == {
        k: v for k, v in CUSTOM_LLM.items() if k != "api_key"
    }


def test_importing_a_custom_llm_takes_the_key_typed_in(revox, db, admin_client_):
    created = revox.create(llm_model=CUSTOM_LLM)
    document = export(admin_client_, created["id"])
    response = upload(admin_client_, document, api_key="sk-other-org-1")
    new_id = response["Location"].strip("/").split("/")[-1]
    assert revox.get(new_id)["llm_model"] == {**CUSTOM_LLM, "api_key": "sk-other-org-1"}


def test_read_only_fields_in_the_file_are_dropped(revox, db, admin_client_):
    created = revox.create(name="Desk")
    document = export(admin_client_, created["id"])
    document["assistant"].update({"id": "x", "created_at": "2020-01-01", "pending_faq_count": 9})
    revox.clear_requests()
    response = upload(admin_client_, document)
    assert response.status_code == 302
    (request,) = revox.requests("POST")
    assert not {"id", "created_at", "pending_faq_count"} & set(request["body_keys"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", FILE_NOT_JSON),
        (b"\xff\xfe\x00", FILE_NOT_JSON),
        (json.dumps({"name": "Desk", "prompt": "P"}).encode(), FILE_NOT_EXPORT),
        (json.dumps({"format": EXPORT_FORMAT}).encode(), "no “assistant” object"),
        (
            json.dumps(
                {"format": EXPORT_FORMAT, "assistant": {"name": " ", "prompt": "P"}}
            ).encode(),
            "needs a name and a prompt",
        ),
        (
            json.dumps(
                {
                    "format": EXPORT_FORMAT,
                    "assistant": {"name": "D", "prompt": "P", "webhook_url": "ftp://files.example"},
                }
            ).encode(),
            "General › Webhook URL",
        ),
        (
            json.dumps(
                {
                    "format": EXPORT_FORMAT,
                    "assistant": {
                        "name": "D",
                        "prompt": "P",
                        "transfer_destinations": [{"label": "Sales", "phone_number": "12"}],
                        "human_transfer_mode": "cold",
                    },
                }
            ).encode(),
            "international format",
        ),
        (b" " * (IMPORT_MAX_BYTES + 1), FILE_TOO_BIG),
    ],
)
def test_a_bad_file_creates_nothing_and_says_why(revox, db, admin_client_, content, message):
    response = upload(admin_client_, content)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page, page[page.find("import-errors") - 100 :][:1500]
    assert revox.requests("POST") == [] and not Change.objects.exists()


def test_a_revox_refusal_creates_nothing(revox, db, admin_client_):
    revox.faults(
        {"method": "POST", "path": "/assistants", "status": 400, "errors": {"prompt": ["too odd"]}}
    )
    response = upload(
        admin_client_, {"format": EXPORT_FORMAT, "assistant": {"name": "D", "prompt": "P"}}
    )
    assert response.status_code == 200 and "prompt: too odd" in response.content.decode()
    assert not Assistant.objects.exists() and not Change.objects.exists()


def test_only_admins_import(revox, db, editor_client):
    assert editor_client.get("/assistants/import/").status_code == 403
    response = upload(
        editor_client, {"format": EXPORT_FORMAT, "assistant": {"name": "D", "prompt": "P"}}
    )
    assert response.status_code == 403 and revox.requests("POST") == []


def test_a_deleted_assistant_can_still_be_exported_from_its_history(revox, db, admin_client_):
    created = revox.create(name="Gone", prompt="Be kind.")
    from assistants.cache.services import assistants_sync

    assistants_sync()
    admin_client_.post(f"/assistants/{created['id']}/delete/", {"confirm_name": "Gone"})
    document = export(admin_client_, created["id"])
    assert document["assistant"]["prompt"] == "Be kind."


# -- hostile and odd files (issue 24) --------------------------------------------------------


def _faq_export(items: list) -> bytes:
    return json.dumps(
        {"format": EXPORT_FORMAT, "assistant": {"name": "D", "prompt": "P", "faq_items": items}}
    ).encode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 2_000 + b"]" * 2_000, "more than 40 levels deep"),
        (b'{"a":' * 2_000 + b"1" + b"}" * 2_000, "more than 40 levels deep"),
        (b"[" * 100_000 + b"]" * 100_000, "more than 40 levels deep"),
        (b"[" + b"[]," * 99_999 + b"[]]", "more than 20,000 lists and objects"),
        (b'"' + b"[" * 3_000 + b'"', FILE_NOT_EXPORT),  # brackets inside a string are text
    ],
    ids=[
        "2000 levels of lists",
        "2000 levels of objects",
        "100000 levels",
        "100000 lists",
        "in a string",
    ],
)
def test_a_hostile_file_gets_a_plain_message_on_the_file_field(
    revox, db, admin_client_, content, message
):
    response = upload(admin_client_, content)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    errors = page[page.find('id="import-errors"') :][:1500]
    assert message in errors
    assert revox.requests("POST") == [] and not Change.objects.exists()


def test_a_file_of_55000_faq_items_is_refused_before_the_editors_check_it(
    revox, db, admin_client_, monkeypatch
):
    from assistants.history import forms

    def must_not_run(config):
        raise AssertionError("the editors' checks ran on a file that should have been refused")

    monkeypatch.setattr(forms, "editor_problems", must_not_run)
    items = [{"question": f"Q{n}?", "answer": "A."} for n in range(55_000)]
    content = _faq_export(items).replace(b", ", b",").replace(b": ", b":")
    assert 1.5e6 < len(content) < IMPORT_MAX_BYTES
    response = upload(admin_client_, content)
    page = response.content.decode()
    assert response.status_code == 200 and "The file can" in page
    assert "20,000 lists and objects" in page
    assert revox.requests("POST") == []


def test_more_faq_items_than_an_import_takes_is_refused_with_the_count(revox, db, admin_client_):
    items = [{"question": f"Q{n}?", "answer": "A."} for n in range(2_001)]
    page = upload(admin_client_, _faq_export(items)).content.decode()
    assert "has 2,001 FAQ items; at most 2,000" in page
    assert revox.requests("POST") == []


def test_an_export_re_saved_with_a_byte_order_mark_imports(revox, db, admin_client_):
    document = {"format": EXPORT_FORMAT, "assistant": {"name": "With BOM", "prompt": "P"}}
    response = upload(admin_client_, b"\xef\xbb\xbf" + json.dumps(document).encode())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [a["name"] for a in revox.list()] == ["With BOM"]


def test_faq_entries_that_are_not_objects_are_named_in_a_notice(revox, db, admin_client_):
    content = _faq_export(
        [
            [{"question": "Nested?", "answer": "In a list."}],
            {"question": "Kept?", "answer": "Yes."},
            "bare",
        ]
    )
    response = upload(admin_client_, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = admin_client_.get(response["Location"]).content.decode()
    (created,) = revox.list()
    assert [i["question"] for i in created["faq_items"]] == ["Kept?"]
    assert "2 FAQ entries were left out (#1, #3)" in page.replace("&#x27;", "'")

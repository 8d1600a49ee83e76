"""Engineering detail where ops people look (issue 15, points 5 and 6): ids behind a copy button,
model names in full, the model kinds explained, dates in the reader's own order, /health/ for
people, the team's role choice, and where "Import" lives."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assistants.cache.services import assistants_sync
from assistants.dates import date_format, preferred_languages
from assistants.history.forms import DATE_INVALID
from assistants.models import Change
from assistants.snapshot import LLM_KIND_DESCRIPTIONS

pytestmark = pytest.mark.django_db

LONG_MODEL = "meta-llama/llama-3.3-70b-instruct:free"


def visible_text(html: str) -> str:
    """The page's text as shown: tags, attributes and closed <details> bodies left out."""
    html = re.sub(r"<details\b[^>]*>.*?</summary>.*?</details>", " ", html, flags=re.S)
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def openrouter(revox, db):
    made = revox.create(
        name="Long Model Line",
        llm_model={"type": "openrouter", "openrouter_model_id": LONG_MODEL,
                   "openrouter_provider": "together"},
    )  # fmt: skip
    assistants_sync()
    return made


def test_the_list_keeps_ids_behind_a_copy_button(openrouter, viewer_client):
    page = viewer_client.get("/assistants/").content.decode()
    assert openrouter["id"] not in visible_text(page)
    assert f'data-copy-id="{openrouter["id"]}"' in page
    assert f'title="Copy the id: {openrouter["id"]}"' in page  # and in a tooltip
    assert f'<code class="copy-id-value">{openrouter["id"]}</code>' in page  # opened without JS


def test_the_list_shows_model_names_in_full_and_explains_the_kinds(openrouter, viewer_client):
    page = viewer_client.get("/assistants/").content.decode()
    assert f'title="{LONG_MODEL}">{LONG_MODEL}</div>' in page
    assert f'title="OpenRouter: {LLM_KIND_DESCRIPTIONS["openrouter"]}">OpenRouter</span>' in page
    legend = page.split('id="model-kinds"')[1].split("</dl>")[0]
    for description in LLM_KIND_DESCRIPTIONS.values():
        assert description.replace("'", "&#x27;") in legend


def test_the_overview_keeps_ids_behind_copy_buttons(openrouter, viewer_client):
    page = viewer_client.get(f"/assistants/{openrouter['id']}/").content.decode()
    organization = openrouter["organization_id"]
    shown = visible_text(page)
    assert openrouter["id"] not in shown and organization not in shown
    assert page.count(f'data-copy-id="{openrouter["id"]}"') == 2  # header and facts
    assert f'data-copy-id="{organization}"' in page
    assert page.count("data-copy-text>Copy id</span>") == 3


def test_the_overview_dates_are_not_in_us_order(openrouter, viewer_client):
    page = viewer_client.get(f"/assistants/{openrouter['id']}/").content.decode()
    created = re.search(r"<dt>Created</dt><dd><time[^>]*>([^<]+)</time>", page).group(1)
    assert re.fullmatch(r"\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d", created), created


def test_the_llm_editor_explains_each_kind(openrouter, editor_client):
    page = editor_client.get(f"/assistants/{openrouter['id']}/edit/llm/").content.decode()
    for description in LLM_KIND_DESCRIPTIONS.values():
        assert f'title="{description}"'.replace("'", "&#x27;") in page


# -- dates in the reader's order ------------------------------------------------------------


def test_preferred_languages_follow_the_weights():
    assert preferred_languages("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5") == [
        "fr-ch", "fr", "en", "de",
    ]  # fmt: skip
    assert preferred_languages("en;q=0.1, de;q=0.9, x;q=bad, ;q=1") == ["de", "en"]
    assert preferred_languages("") == []


@pytest.mark.parametrize(
    ("header", "pattern", "example"),
    [
        ("en-GB,en;q=0.9", "dd/mm/yyyy", "20/11/2026"),
        ("fr-FR,fr;q=0.9", "dd/mm/yyyy", "20/11/2026"),
        ("de-DE", "dd.mm.yyyy", "20.11.2026"),
        ("en-US,en;q=0.9", "mm/dd/yyyy", "11/20/2026"),
        ("sv-SE", "yyyy-mm-dd", "2026-11-20"),
        ("", "yyyy-mm-dd", "2026-11-20"),
        ("tlh, zz-ZZ", "yyyy-mm-dd", "2026-11-20"),
    ],
)
def test_each_language_gets_its_own_date_order(header, pattern, example):
    found = date_format(header)
    assert (found.pattern, found.example()) == (pattern, example)
    assert "%Y-%m-%d" in found.accepted


@pytest.fixture
def changes(viewer):
    def at(days_ago: int, name: str) -> None:
        change = Change.objects.create(assistant_revox_id=name, assistant_name=name, kind="update",
                                       group="general", before={}, after={})  # fmt: skip
        Change.objects.filter(pk=change.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )

    at(10, "Old one")
    at(1, "New one")
    return (timezone.localdate() - timedelta(days=5)).strftime


@pytest.mark.parametrize(
    ("language", "typed"), [("en-GB", "%d/%m/%Y"), ("fr-FR", "%d/%m/%Y"), ("en-US", "%m/%d/%Y"),
                            ("de-DE", "%d.%m.%Y"), ("en-GB", "%Y-%m-%d")],
)  # fmt: skip
def test_the_activity_filters_take_dates_in_the_readers_order(
    changes, viewer_client, language, typed
):
    since = changes(typed)
    page = viewer_client.get(
        "/activity/", {"since": since}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert "New one" in page and "Old one" not in page
    pattern = date_format(language).pattern
    assert f'placeholder="{pattern}"' in page and 'type="date"' not in page


def test_a_date_in_the_wrong_order_says_which_order(changes, viewer_client):
    response = viewer_client.get(
        "/activity/", {"since": "11/20/2026"}, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"
    )
    assert (
        DATE_INVALID.format(pattern="dd/mm/yyyy", example="20/11/2026") in response.content.decode()
    )
    assert response.status_code == 200


# -- /health/ for people and monitors -------------------------------------------------------

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_health_answers_a_browser_with_a_page(synced, client):
    response = client.get("/health/", HTTP_ACCEPT=BROWSER_ACCEPT)
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Everything works." in page and "Revox API: reachable" in page
    assert "API key: accepted" in page and "Local copy: fresh" in page
    assert "Accept" in response["Vary"] and "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "accept", [None, "application/json", "*/*", "application/json, text/html;q=0.5"]
)
def test_health_answers_monitors_with_json(synced, client, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get("/health/", **headers)
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok" and "Accept" in response["Vary"]
    assert set(response.json()) == {"status", "revox", "cache"}


def test_health_says_what_is_wrong_in_words_with_the_same_status(synced, client, settings):
    settings.REVOX_API_KEY = "revoked"
    response = client.get("/health/", HTTP_ACCEPT=BROWSER_ACCEPT)
    page = response.content.decode()
    assert response.status_code == 503
    assert "refuses the dashboard's API key" in page and "API key: refused" in page
    assert "revoked" not in page

    synced.faults({"path": "/**", "status": 503, "times": 5})
    response = client.get("/health/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 503
    assert "Revox can't be reached." in response.content.decode()
    assert "API key: not checked" in response.content.decode()
    assert client.get("/health/").json()["revox"]["reachable"] is False


# -- team and import -------------------------------------------------------------------------


def test_the_role_choice_is_styled_and_explained(admin_client_):
    page = admin_client_.get("/team/").content.decode()
    radios = re.findall(
        r'<input class="form-check-input[^"]*" type="radio" name="role"[^>]*>', page
    )
    assert len(radios) == 3 and 'value="Editor"' in radios[1]
    # An invitation starts at the least access (issue 19).
    assert 'value="Viewer"' in radios[0] and "checked" in radios[0] and "checked" not in radios[1]
    assert 'aria-describedby="id_role_1-about"' in radios[1]
    assert 'id="id_role_1-about">Also edits assistants and reviews FAQ answers.<' in page


def test_a_refused_role_keeps_what_was_typed(admin_client_):
    response = admin_client_.post(
        "/team/", {"name": "Grace", "email": "grace@example.com", "role": "Boss"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'value="grace@example.com"' in page
    assert 'id="role-errors"' in page


def test_import_sits_beside_new_assistant_for_admins_only(revox, admin_client_, editor_client):
    listing = admin_client_.get("/assistants/").content.decode()
    header = listing.split('class="page-header"')[1].split("</div>\n</div>")[0]
    assert 'href="/assistants/import/"' in header and "Import from a file" in header
    assert header.index("Import from a file") < header.index("New assistant")
    assert 'href="/assistants/import/"' not in admin_client_.get("/activity/").content.decode()
    assert 'href="/assistants/import/"' not in editor_client.get("/assistants/").content.decode()

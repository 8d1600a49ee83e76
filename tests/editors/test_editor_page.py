"""The editor page every group shares: switched in place by its tabs, one save bar, and the
marks the page's unsaved-changes warning relies on."""

from __future__ import annotations

import re

import pytest

from assistants.editors.groups import GROUPS
from tests.editors.conftest import editor_url, open_editor, save

pytestmark = pytest.mark.django_db

TAB = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "editor-page"}


def test_a_tab_gets_the_page_body_with_its_title(cached, editor_client):
    created = cached(name="Front desk")
    response = editor_client.get(editor_url(created["id"], "sounds"), **TAB)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and "<head" not in page
    assert page.lstrip().startswith("<title>Sounds · Front desk · Revox Admin</title>")
    assert 'aria-current="page">' in page and 'id="group-form"' in page
    assert "HX-Request" in response["Vary"]
    # Every tab is a plain link too, for a browser without JavaScript (or a new tab).
    for slug in GROUPS:
        url = editor_url(created["id"], slug)
        assert f'href="{url}"\n           hx-get="{url}" hx-target="#editor-page"' in page


def test_back_to_a_page_opened_in_place_gets_the_whole_page(cached, editor_client):
    created = cached(name="Front desk")
    response = editor_client.get(
        editor_url(created["id"], "voice"),
        HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )  # fmt: skip
    assert response.content.decode().startswith("<!doctype html>")


def test_a_tab_to_an_assistant_deleted_meanwhile_goes_to_the_list(cached, revox, editor_client):
    created = cached(name="Front desk")
    revox.delete(created["id"])
    response = editor_client.get(editor_url(created["id"], "voice"), **TAB)
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/assistants/"


def test_an_editor_page_loads_its_own_group_script_and_no_other(cached, editor_client):
    created = cached(name="Front desk")
    for slug, group in GROUPS.items():
        response, _ = open_editor(editor_client, created["id"], slug)
        page = response.content.decode()
        head, body = page.split("</head>")
        scripts = re.findall(r'<script src="([^"]+)"', head)
        assert len(scripts) == len(set(scripts)), slug
        for needed in ("js/formset.js", "js/unsaved.js"):
            assert any(s.endswith(needed) for s in scripts), (slug, needed)
        group_scripts = [s for s in scripts if s.startswith("/static/editors/")]
        if group.script:
            mine = f"/static/editors/{group.package}/script.js"
            assert group_scripts == [mine], slug
            # Switching editors in place brings the marker that loads it (js/app.js).
            assert f'data-editor-script="{mine}"' in body, slug
        else:
            assert group_scripts == [], slug
        assert scripts[-1].endswith("js/unsaved.js")  # last: it looks at the form once set up
        assert "<script" not in body, slug


def test_a_group_script_is_served_from_its_folder_and_its_python_is_not(client):
    assert client.get("/static/editors/retry/script.js").status_code == 200
    assert client.get("/static/editors/retry/style.css").status_code == 200
    assert client.get("/static/editors/retry/form.py").status_code == 404
    assert client.get("/static/editors/retry/fields.html").status_code == 404


def test_one_save_bar_closes_every_editor_form(cached, editor_client, viewer_client):
    created = cached(name="Front desk")
    for slug in GROUPS:
        page = open_editor(editor_client, created["id"], slug)[0].content.decode()
        form = page[
            page.index('<form method="post"') : page.index("</form>", page.index('id="save-bar"'))
        ]
        assert form.count('id="save-bar"') == 1 and form.count('id="save-button"') == 1, slug
        assert "Saves every section on this page" in form
        tail = form[form.index('id="save-bar"') :]
        assert "</fieldset>" not in tail  # after every field of the group
    read_only = viewer_client.get(editor_url(created["id"], "voice")).content.decode()
    assert 'id="save-bar"' in read_only and 'id="save-button"' not in read_only


def test_a_form_sent_back_filled_is_marked_as_not_what_revox_holds(cached, revox, editor_client):
    created = cached(name="Front desk")
    response, data = open_editor(editor_client, created["id"], "general")
    assert "data-unsaved-guard\n" in response.content.decode()
    assert "data-unsaved\n" not in response.content.decode()

    refused = save(editor_client, created["id"], "general", data, name="")
    assert refused.status_code == 200
    assert "data-unsaved-guard data-unsaved" in refused.content.decode()

    saved = editor_client.post(
        editor_url(created["id"], "general"),
        {k: data.getlist(k) for k in data} | {"name": ["Front desk 2"]},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="editor",
    )  # fmt: skip
    page = saved.content.decode()
    assert 'id="saved-note"' in page and "data-unsaved\n" not in page

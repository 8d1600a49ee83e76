"""Every `next` a form carries sends the browser back to this dashboard only (issue 24)."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    " https://evil.example/",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_refresh_button_never_redirects_off_site(synced, viewer_client, target):
    response = viewer_client.post("/assistants/refresh/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/assistants/"


def test_the_refresh_button_keeps_a_page_of_this_site(synced, viewer_client):
    response = viewer_client.post("/assistants/refresh/", {"next": "/assistants/?q=dent"})
    assert response["Location"] == "/assistants/?q=dent"


def test_an_https_page_is_not_sent_back_over_plain_http(synced, viewer_client):
    response = viewer_client.post(
        "/assistants/refresh/", {"next": "http://testserver/assistants/"}, secure=True
    )
    assert response["Location"] == "/assistants/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_in_never_redirects_off_site(db, client, target):
    make_user("sam", "Viewer")
    response = client.post(
        "/accounts/login/", {"username": "sam", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == "/assistants/"

"""Who may do what: every URL × method × role, written down as the policy.

A new URL without an entry here fails `test_every_url_has_an_entry`, so access is decided on
purpose, never by accident. Expectations:
  "login"  anonymous visitors are sent to sign in (htmx requests get HX-Redirect instead)
  "ok"     allowed: any answer but 403/405/500 and the login redirect
  "403"    signed in but not allowed
  "405"    the method is not accepted
  "public" allowed without signing in
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from assistants.cache.services import assistants_sync
from assistants.models import Assistant, Change
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "Viewer", "Editor", "Admin")
ALL = {"anonymous": "login", "Viewer": "ok", "Editor": "ok", "Admin": "ok"}
EDITORS = {"anonymous": "login", "Viewer": "403", "Editor": "ok", "Admin": "ok"}
ADMINS = {"anonymous": "login", "Viewer": "403", "Editor": "403", "Admin": "ok"}
NOT_ALLOWED = {"anonymous": "login", "Viewer": "405", "Editor": "405", "Admin": "405"}
PUBLIC = dict.fromkeys(ROLES, "public")

MATRIX = {
    "assistants:home": {"GET": ALL},
    "assistants:list": {"GET": ALL, "POST": NOT_ALLOWED},
    "assistants:refresh": {"GET": NOT_ALLOWED, "POST": ALL},
    "assistants:create": {"GET": ADMINS, "POST": ADMINS},
    "assistants:import": {"GET": ADMINS, "POST": ADMINS},
    "assistants:detail": {"GET": ALL, "POST": NOT_ALLOWED},
    "assistants:clone": {"GET": ADMINS, "POST": ADMINS},
    "assistants:delete": {"GET": ADMINS, "POST": ADMINS},
    "assistants:edit": {"GET": ALL, "POST": EDITORS},
    # The preview of a form as it is typed saves nothing: whoever may open the editor may ask.
    "assistants:edit_preview": {"GET": NOT_ALLOWED, "POST": ALL},
    "assistants:history": {"GET": ALL, "POST": NOT_ALLOWED},
    "assistants:restore": {"GET": NOT_ALLOWED, "POST": EDITORS},
    # A GET shows (or redirects to) the deleted assistant's history; only Admins get that far.
    "assistants:recreate": {"GET": ADMINS, "POST": ADMINS},
    "assistants:export": {"GET": ALL, "POST": NOT_ALLOWED},
    "assistants:activity": {"GET": ALL, "POST": NOT_ALLOWED},
    # Listening to a voice changes nothing: whoever may open the voice editor may listen.
    "assistants:voice_preview": {"GET": ALL, "POST": NOT_ALLOWED},
    "assistants:faq_review": {"GET": ALL, "POST": NOT_ALLOWED},
    "assistants:faq_review_refresh": {"GET": NOT_ALLOWED, "POST": ALL},
    "assistants:faq_review_item": {"GET": NOT_ALLOWED, "POST": EDITORS},
    "assistants:faq_review_bulk": {"GET": NOT_ALLOWED, "POST": EDITORS},
    # Skipping for now changes only the person's own queue: Viewers may too.
    "assistants:faq_review_snooze": {"GET": NOT_ALLOWED, "POST": ALL},
    "assistants:faq_review_export": {"GET": ALL, "POST": NOT_ALLOWED},
    "assistants:faq_review_import": {"GET": EDITORS, "POST": EDITORS},
    "assistants:faq_review_import_apply": {"GET": NOT_ALLOWED, "POST": EDITORS},
    # Every member of the team sees every job (a teammate's bulk action too); jobs are started by
    # the pages that own them (the FAQ review's bulk and import), never from here.
    "jobs:list": {"GET": ALL, "POST": NOT_ALLOWED},
    "jobs:badge": {"GET": ALL, "POST": NOT_ALLOWED},
    "jobs:detail": {"GET": ALL, "POST": NOT_ALLOWED},
    "jobs:card": {"GET": ALL, "POST": NOT_ALLOWED},
    # A test call rings a real phone: Editors and Admins place and cancel; everyone may read one.
    "calls:new": {"GET": EDITORS, "POST": EDITORS},
    "calls:detail": {"GET": ALL, "POST": NOT_ALLOWED},
    "calls:cancel": {"GET": NOT_ALLOWED, "POST": EDITORS},
    "calls:recording": {"GET": ALL, "POST": NOT_ALLOWED},
    "calls:list": {"GET": ALL, "POST": NOT_ALLOWED},
    "calls:assistant_calls": {"GET": ALL, "POST": NOT_ALLOWED},
    "calls:outcomes": {"GET": ALL, "POST": NOT_ALLOWED},
    # Change sets: everyone reads them; Editors and Admins make, approve, apply and roll back;
    # the approval rule is the Admins'.
    "changes:list": {"GET": ALL, "POST": NOT_ALLOWED},
    "changes:new": {"GET": EDITORS, "POST": EDITORS},
    "changes:policy": {"GET": ADMINS, "POST": ADMINS},
    "changes:detail": {"GET": ALL, "POST": NOT_ALLOWED},
    "changes:preview": {"GET": NOT_ALLOWED, "POST": EDITORS},
    "changes:apply": {"GET": NOT_ALLOWED, "POST": EDITORS},
    "changes:approve": {"GET": NOT_ALLOWED, "POST": EDITORS},
    "changes:rollback": {"GET": NOT_ALLOWED, "POST": EDITORS},
    "team:list": {"GET": ADMINS, "POST": ADMINS},
    "team:role": {"GET": NOT_ALLOWED, "POST": ADMINS},
    "team:active": {"GET": NOT_ALLOWED, "POST": ADMINS},
    "health": {"GET": PUBLIC},
    "login": {"GET": PUBLIC, "POST": PUBLIC},
    # Signing out ends on the sign-in page, whoever asks.
    "logout": {"POST": dict.fromkeys(ROLES, "login")},
    "password_change": {"GET": ALL, "POST": ALL},
    "password_change_done": {"GET": ALL},
    "password_reset": {"GET": PUBLIC, "POST": PUBLIC},
    "password_reset_done": {"GET": PUBLIC},
    "password_reset_confirm": {"GET": PUBLIC, "POST": PUBLIC},
    "password_reset_complete": {"GET": PUBLIC},
}


def url_patterns(patterns=None, prefix="", namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}".strip(":"), prefix + str(pattern.pattern)


ROUTES = dict(url_patterns())


def test_every_url_has_an_entry():
    missing = sorted(set(ROUTES) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(ROUTES))
    assert not missing, f"New URLs without a permission entry: {missing}"
    assert not stale, f"Entries for URLs that no longer exist: {stale}"


@pytest.fixture
def world(demo_revox, db):
    assistants_sync()
    assistant = Assistant.objects.order_by("name").first()
    users = {role: make_user(f"matrix-{role.lower()}", role) for role in ROLES[1:]}
    change = Change.objects.create(assistant_revox_id=assistant.revox_id, assistant_name=assistant.name,
                                   kind="update", group="general", before={"name": "a"}, after={"name": "b"})  # fmt: skip
    values = {
        "revox_id": assistant.revox_id, "group_slug": "general", "change_id": str(change.pk),
        "user_id": str(users["Viewer"].pk), "uidb64": "MQ", "token": "set-password", "pk": "1",
        "call_id": "call-1",
    }  # fmt: skip
    return users, values


def concrete(route: str, values: dict[str, str]) -> str:
    import re

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    return "/" + path


def outcome(response) -> str:
    location = response.get("Location", "") or response.get("HX-Redirect", "")
    if response.status_code in (301, 302, 204) and location.startswith("/accounts/login/"):
        return "login"
    if response.status_code in (403, 405, 500):
        return str(response.status_code)
    return "ok"


@pytest.mark.parametrize("name", list(MATRIX))
def test_the_policy_holds(world, name):
    users, values = world
    if name not in ROUTES:
        pytest.fail(f"{name} is in the matrix but not routed")
    url = concrete(ROUTES[name], values)
    for method, role, expected in [
        (m, r, e) for m, roles in MATRIX[name].items() for r, e in roles.items()
    ]:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
        response = client.generic(method, url)
        got = outcome(response)
        if expected == "public":
            assert got not in ("login", "403", "500"), (
                f"{method} {url} as {role}: {response.status_code}"
            )
        else:
            assert got == expected, (
                f"{method} {url} as {role}: expected {expected}, got {response.status_code} ({got})"
            )
        if role == "anonymous" and expected == "login" and name != "logout":
            htmx = Client().generic(method, url, HTTP_HX_REQUEST="true")
            assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith("/accounts/login/"), (
                url
            )

"""Team management, signing in, and who sees what."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_member_who_sets_a_password_and_signs_in(admin_client_, mailoutbox):
    response = admin_client_.post(
        "/team/", {"name": "Grace Hopper", "email": "Grace@Example.com", "role": "Editor"}
    )
    assert response.status_code == 302
    member = get_user_model().objects.get(email="grace@example.com")
    assert member.get_full_name() == "Grace Hopper" and not member.has_usable_password()
    assert [g.name for g in member.groups.all()] == ["Editor"]

    (mail,) = mailoutbox
    assert mail.to == ["grace@example.com"] and "Revox Admin" in mail.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.body).group(1)
    newcomer = Client()
    form_page = newcomer.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = newcomer.post(
        set_url,
        {"new_password1": "a-long new passphrase", "new_password2": "a-long new passphrase"},
    )
    assert done.status_code == 302
    assert (
        newcomer.post(
            "/accounts/login/",
            {"username": "grace@example.com", "password": "a-long new passphrase"},
        ).status_code
        == 302
    )
    assert newcomer.get("/team/").status_code == 403  # an Editor, not an Admin


def test_adding_someone_twice_is_refused(admin_client_, editor):
    response = admin_client_.post(
        "/team/", {"name": "Ed Again", "email": editor.email, "role": "Viewer"}
    )
    assert response.status_code == 400
    assert "already on the team" in response.content.decode()


def test_the_team_page_lists_roles_and_last_sign_in(admin_client_, editor, viewer):
    editor.last_login = timezone.now() - timedelta(hours=3)
    editor.save()
    page = admin_client_.get("/team/").content.decode()
    assert "Ed" in page and "3\xa0hours ago" in page and "Vera" in page


def test_an_admin_changes_a_role(admin_client_, viewer):
    admin_client_.post(f"/team/{viewer.pk}/role/", {"role": "Editor"})
    assert [g.name for g in viewer.groups.all()] == ["Editor"]


def test_the_last_admin_cannot_be_demoted_or_deactivated(admin_client_, admin_user):
    response = admin_client_.post(f"/team/{admin_user.pk}/role/", {"role": "Viewer"}, follow=True)
    assert "at least one active Admin" in response.content.decode()
    assert [g.name for g in admin_user.groups.all()] == ["Admin"]
    response = admin_client_.post(f"/team/{admin_user.pk}/active/", {"active": "0"}, follow=True)
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_a_deactivated_member_can_no_longer_sign_in(admin_client_, editor):
    admin_client_.post(f"/team/{editor.pk}/active/", {"active": "0"})
    editor.refresh_from_db()
    assert not editor.is_active
    assert (
        Client().post("/accounts/login/", {"username": "ed", "password": PASSWORD}).status_code
        == 200
    )


@pytest.mark.parametrize("who", ["viewer_client", "editor_client"])
def test_only_admins_manage_the_team(request, who, viewer):
    client = request.getfixturevalue(who)
    assert client.get("/team/").status_code == 403
    assert client.post(f"/team/{viewer.pk}/role/", {"role": "Admin"}).status_code == 403
    assert [g.name for g in viewer.groups.all()] == ["Viewer"]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/assistants/", "/team/", "/assistants/x/", "/assistants/x/edit/general/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        ), url


def test_htmx_requests_of_an_expired_session_redirect_the_whole_page(client):
    response = client.get("/assistants/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/accounts/login/")


def test_login_reset_and_health_need_no_login(client):
    for url in ("/accounts/login/", "/accounts/password/reset/", "/health/"):
        assert client.get(url).status_code in (200, 503), url


def test_five_failures_lock_the_username_from_that_address_for_15_minutes(db, settings):
    make_user("mallory-target", "Viewer")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        attacker.post("/accounts/login/", {"username": "mallory-target", "password": "guess"})
    locked = attacker.post("/accounts/login/", {"username": "mallory-target", "password": PASSWORD})
    assert locked.status_code == 429
    assert "paused for 15 minutes" in locked.content.decode()
    # Another address is not locked out of that account.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        other.post(
            "/accounts/login/", {"username": "mallory-target", "password": PASSWORD}
        ).status_code
        == 302
    )


def test_the_lockout_expires(db):
    from axes.models import AccessAttempt

    make_user("forgetful", "Viewer")
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "forgetful", "password": "nope"})
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert (
        client.post("/accounts/login/", {"username": "forgetful", "password": PASSWORD}).status_code
        == 302
    )


def test_a_wrong_password_says_so_plainly(db):
    make_user("sam", "Viewer")
    response = Client().post("/accounts/login/", {"username": "sam", "password": "nope"})
    assert "don't match" in response.content.decode()


def test_password_change(editor_client, editor):
    response = editor_client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": "brand new long phrase", "new_password2": "brand new long phrase"})  # fmt: skip
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("brand new long phrase")


def test_password_reset_sends_a_link(db, client, mailoutbox):
    make_user("rita", "Viewer")
    client.post("/accounts/password/reset/", {"email": "rita@example.com"})
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body


def test_roles_exist_from_the_first_migrate(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"Viewer", "Editor", "Admin"}


def test_an_invitation_starts_at_the_least_access(admin_client_):
    page = admin_client_.get("/team/").content.decode()
    checked = re.findall(r'<input[^>]*name="role" value="(\w+)"[^>]*checked', page)
    assert checked == ["Viewer"]


def test_the_team_page_does_not_say_how_old_revox_data_is(synced, admin_client_):
    from assistants.models import SyncState

    SyncState.objects.filter(pk=1).update(last_success_at=timezone.now() - timedelta(minutes=10))
    assert "Showing data from" in admin_client_.get("/faq-review/").content.decode()
    assert "Showing data from" not in admin_client_.get("/team/").content.decode()

"""Team management use cases: inviting a member, changing a role, (de)activating."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assistants.team.roles import ADMIN, ROLES, user_role

LAST_ADMIN_MESSAGE = "The team needs at least one active Admin; make someone else Admin first."
NO_LONGER_ADMIN_MESSAGE = "Your account is no longer an active Admin, so this change was not made."


class TeamError(Exception):
    pass


def _set_role(user: AbstractBaseUser, role: str) -> None:
    assert role in ROLES
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.__dict__.pop("_revox_role", None)


def set_password_link(*, request: HttpRequest, user: AbstractBaseUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return request.build_absolute_uri(path)


def member_invite(*, request: HttpRequest, name: str, email: str, role: str) -> AbstractBaseUser:
    """Create the account without a password and e-mail a link to set one."""
    first, _, last = name.strip().partition(" ")
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=email, email=email, first_name=first[:150], last_name=last[:150]
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        _set_role(user, role)
    context = {
        "name": first or email,
        "inviter": request.user.get_full_name() or request.user.get_username(),
        "link": set_password_link(request=request, user=user),
        "username": user.get_username(),
    }
    send_mail(
        subject="You're invited to Revox Admin",
        message=render_to_string("registration/invite_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )
    return user


def _active_admin_count() -> int:
    users = get_user_model().objects.filter(is_active=True)
    return sum(1 for u in users.prefetch_related("groups") if user_role(u) == ADMIN)


@contextmanager
def _admins_locked(
    *, actor: AbstractBaseUser, member: AbstractBaseUser
) -> Iterator[AbstractBaseUser]:
    """One change that may remove an Admin at a time, checked against the team as it is now.

    Two Admins deactivating each other at the same instant would each count two Admins and both
    succeed, leaving none. Every such change first locks the Admin group's row (PostgreSQL: the
    second waits for the first to commit; SQLite's IMMEDIATE transactions already take the
    write lock at BEGIN), then reads the actor and the member afresh, so the second one counts
    what the first left. Yields the member as stored now.
    """
    with transaction.atomic():
        list(Group.objects.select_for_update().filter(name=ADMIN).values_list("pk", flat=True))
        users = get_user_model().objects
        fresh_actor = users.filter(pk=actor.pk).first()
        if fresh_actor is None or user_role(fresh_actor) != ADMIN:
            raise TeamError(NO_LONGER_ADMIN_MESSAGE)
        yield users.get(pk=member.pk)


def member_set_role(*, actor: AbstractBaseUser, member: AbstractBaseUser, role: str) -> None:
    with _admins_locked(actor=actor, member=member) as current:
        if user_role(current) == ADMIN and role != ADMIN and _active_admin_count() <= 1:
            raise TeamError(LAST_ADMIN_MESSAGE)
        if current.is_superuser and role != ADMIN:
            raise TeamError("This account is a superuser and is always an Admin.")
        _set_role(current, role)
    member.__dict__.pop("_revox_role", None)


def member_set_active(*, actor: AbstractBaseUser, member: AbstractBaseUser, active: bool) -> None:
    if not active and member.pk == actor.pk:
        raise TeamError("You can't deactivate your own account.")
    with _admins_locked(actor=actor, member=member) as current:
        if not active and user_role(current) == ADMIN and _active_admin_count() <= 1:
            raise TeamError(LAST_ADMIN_MESSAGE)
        current.is_active = active
        current.save(update_fields=["is_active"])
    member.is_active = active


# -- throttles ------------------------------------------------------------------------------


def password_reset_allowed(*, email: str, ip_address: str) -> bool:
    """Whether a password-reset e-mail may go out now: one per account address per
    PASSWORD_RESET_EMAIL_INTERVAL seconds, and PASSWORD_RESETS_PER_NETWORK_ADDRESS an hour from
    one network address. Counted in Django's cache (Redis with several workers: CACHE_URL).
    A network address over its limit takes no account address's turn: the account's owner,
    elsewhere, still gets a link."""
    sent_from = f"password-reset:from:{ip_address}"
    if (cache.get(sent_from) or 0) >= settings.PASSWORD_RESETS_PER_NETWORK_ADDRESS:
        return False
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    if not cache.add(f"password-reset:to:{address}", 1, settings.PASSWORD_RESET_EMAIL_INTERVAL):
        return False
    if not cache.add(sent_from, 1, 3600):
        try:
            cache.incr(sent_from)
        except ValueError:  # expired between the two calls
            cache.add(sent_from, 1, 3600)
    return True


def sign_in_paused_for_address(*, ip_address: str | None) -> bool:
    """Whether one network address failed to sign in too often, whatever the user names tried:
    django-axes locks a (user name, address) pair; this adds LOGIN_FAILURES_PER_NETWORK_ADDRESS
    failures across every name within AXES_COOLOFF_TIME, counted from axes' own records."""
    if not ip_address:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
    total = sum(failures.values_list("failures_since_start", flat=True))
    return total >= settings.LOGIN_FAILURES_PER_NETWORK_ADDRESS

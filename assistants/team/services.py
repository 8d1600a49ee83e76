"""Team management use cases: inviting a member, changing a role, (de)activating."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assistants.team.roles import ADMIN, ROLES, user_role

LAST_ADMIN_MESSAGE = "The team needs at least one active Admin; make someone else Admin first."


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


def member_set_role(*, actor: AbstractBaseUser, member: AbstractBaseUser, role: str) -> None:
    if user_role(member) == ADMIN and role != ADMIN and _active_admin_count() <= 1:
        raise TeamError(LAST_ADMIN_MESSAGE)
    if member.is_superuser and role != ADMIN:
        raise TeamError("This account is a superuser and is always an Admin.")
    _set_role(member, role)


def member_set_active(*, actor: AbstractBaseUser, member: AbstractBaseUser, active: bool) -> None:
    if not active and member.pk == actor.pk:
        raise TeamError("You can't deactivate your own account.")
    if not active and user_role(member) == ADMIN and _active_admin_count() <= 1:
        raise TeamError(LAST_ADMIN_MESSAGE)
    member.is_active = active
    member.save(update_fields=["is_active"])

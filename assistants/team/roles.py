"""The three team roles, kept as Django groups (created by a migration).

Viewer reads everything; Editor also edits assistants and reviews FAQ; Admin also creates,
clones and deletes assistants and manages the team. A superuser counts as an Admin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

VIEWER = "Viewer"
EDITOR = "Editor"
ADMIN = "Admin"
ROLES = (VIEWER, EDITOR, ADMIN)
ROLE_DESCRIPTIONS = {
    VIEWER: "Reads every assistant, the FAQ queue and the history.",
    EDITOR: "Also edits assistants and reviews FAQ answers.",
    ADMIN: "Also creates, clones and deletes assistants and manages the team.",
}
_RANK = {None: 0, VIEWER: 1, EDITOR: 2, ADMIN: 3}


def user_role(user: AbstractBaseUser | AnonymousUser) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ADMIN
    cached = getattr(user, "_revox_role", "unset")
    if cached == "unset":
        names = set(user.groups.values_list("name", flat=True))
        cached = next((r for r in reversed(ROLES) if r in names), None)
        user._revox_role = cached
    return cached


def has_role(user, role: str) -> bool:
    return _RANK[user_role(user)] >= _RANK[role]


def can_edit(user) -> bool:
    return has_role(user, EDITOR)


def is_admin(user) -> bool:
    return has_role(user, ADMIN)


def role_required(role: str) -> Callable:
    """403 for a signed-in user below `role` (LoginRequiredMiddleware handles the anonymous)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args: Any, **kwargs: Any):
            if not has_role(request.user, role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


editor_required = role_required(EDITOR)
admin_required = role_required(ADMIN)
viewer_required = role_required(VIEWER)

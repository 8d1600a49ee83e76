from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assistants import selectors
from assistants.cache.selectors import cache_status
from assistants.team.roles import can_edit, is_admin, user_role


def dashboard(request: HttpRequest) -> dict:
    """The navigation's facts: the user's role, the pending FAQ total, the cache's state."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "role": user_role(user),
        "can_edit": can_edit(user),
        "is_admin": is_admin(user),
        # Lazy: computed once, and only by pages that show them.
        "nav_pending_faq": SimpleLazyObject(selectors.total_pending_faq),
        "cache_status": SimpleLazyObject(cache_status),
    }

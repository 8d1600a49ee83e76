"""Reading the change history. Every query here rides one of Change's indexes; the pages show
`actor_name` (kept on the entry), so a page of entries is one query, whoever made them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from assistants.models import Change

# The people filter's value for entries no person made (changes found in Revox).
OUTSIDE = "outside"


def change_list(*, revox_id: str) -> QuerySet[Change]:
    """One assistant's history, newest first."""
    return Change.objects.filter(assistant_revox_id=revox_id).order_by("-created_at", "-id")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def change_feed(
    *, actor: str = "", assistant: str = "", group: str | None = None, kind: str = "",
    since: date | None = None, until: date | None = None,
) -> QuerySet[Change]:  # fmt: skip
    """Every change, newest first, narrowed by whichever filters are given.

    `actor`: a user id, or OUTSIDE; `assistant`: part of a name, or an exact id; `group`: a
    slug ("" for entries about no one group, None for any); dates are whole local days.
    """
    qs = Change.objects.all()
    if actor == OUTSIDE:
        qs = qs.filter(actor__isnull=True, actor_name="")
    elif actor:
        qs = qs.filter(actor_id=actor)
    if assistant:
        qs = qs.filter(Q(assistant_revox_id=assistant) | Q(assistant_name__icontains=assistant))
    if group is not None:
        qs = qs.filter(group=group)
    if kind:
        qs = qs.filter(kind=kind)
    # Ranges on the column itself (not __date), so the created_at index serves them.
    if since:
        qs = qs.filter(created_at__gte=_day_start(since))
    if until:
        qs = qs.filter(created_at__lt=_day_start(until + timedelta(days=1)))
    return qs.order_by("-created_at", "-id")


def change_people() -> list[tuple[str, str]]:
    """Whom the feed can be filtered by: the team, by name."""
    users = get_user_model().objects.order_by("first_name", "last_name", "username")
    return [(str(u.pk), u.get_full_name() or u.get_username()) for u in users]


def last_configuration(*, revox_id: str) -> Change | None:
    """The entry holding the last full configuration of an assistant that is gone: a dashboard
    delete, or a deletion found in Revox. None when history never saw it whole."""
    return (
        Change.objects.filter(
            assistant_revox_id=revox_id,
            kind__in=[Change.Kind.DELETE, Change.Kind.EXTERNAL],
            group="",
            after__isnull=True,
            before__isnull=False,
        )
        .order_by("-created_at", "-id")
        .first()
    )


def recreations(*, revox_id: str) -> list[Change]:
    """The entries of a deleted assistant that point to the new assistants made from it."""
    return list(
        change_list(revox_id=revox_id)
        .filter(kind=Change.Kind.RESTORE, group="")
        .exclude(related_revox_id="")
    )

"""Writing history (the entries the history pages read): an entry for each change the dashboard makes (change_record), and for changes
found made outside it, split into one entry per field group (external_entries) so that such an
entry reads, filters and restores like an editor save. History is append-only: nothing here
updates or deletes an entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from assistants import faq, snapshot
from assistants.fields import GROUP_FIELDS, fields_changed, label_for
from assistants.models import Change


@dataclass(frozen=True)
class GroupChange:
    group: str  # a group slug, or "" for fields no group owns
    before: dict[str, Any]
    after: dict[str, Any]
    summary: str


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    """What a person (or a call suggesting FAQ) could have changed: all but Revox's own fields,
    secrets masked and NULs as U+2400 (the cached version holds them so, a fresh read as they
    are)."""
    return snapshot.mask_secrets(
        snapshot.without_nul({k: v for k, v in data.items() if k not in snapshot.READ_ONLY_FIELDS})
    )


def external_changes(previous: dict[str, Any], current: dict[str, Any]) -> list[GroupChange]:
    """A change found in Revox, split by field group: one entry per group touched (its values
    before and after, secrets masked), plus one for fields that no group owns.

    Read-only fields (updated_at, pending_faq_count…) alone are no change: a PATCH that
    changed nothing still moves updated_at.
    """
    old, new = _comparable(previous), _comparable(current)
    touched = set(fields_changed(old, new))
    if not touched:
        return []
    changes = []
    owned: set[str] = set()
    for group in GROUP_FIELDS.values():
        owned.update(group.fields)
        names = [f for f in group.fields if f in touched]
        if not names:
            continue
        before = snapshot.mask_secrets(group.values(previous))
        after = snapshot.mask_secrets(group.values(current))
        changes.append(
            GroupChange(group.slug, before, after, _summary(group.title, names, previous, current))
        )
    rest = [f for f in sorted(touched) if f not in owned]
    if rest:
        before = snapshot.mask_secrets({f: previous.get(f) for f in rest})
        after = snapshot.mask_secrets({f: current.get(f) for f in rest})
        changes.append(
            GroupChange(
                "",
                before,
                after,
                "Changed in Revox: " + ", ".join(label_for(f).lower() for f in rest),
            )
        )
    return changes


def _counted(n: int, noun: str, verb: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''} {verb}"


def faq_change_summary(before: Any, after: Any) -> str:
    """What a change did to an FAQ, in people's words: "1 question added, 2 answers approved".
    Items are matched by question (ids change on every save); a draft approved as it was is
    "approved", a waiting question given another answer "answered"."""
    old = {faq.question_key(i.question): i for i in _items(before)}
    new = {faq.question_key(i.question): i for i in _items(after)}
    added = sum(1 for key in new if key not in old)
    deleted = sum(1 for key in old if key not in new)
    approved = answered = edited = 0
    for key, item in new.items():
        was = old.get(key)
        if was is None or item.pending:
            continue
        if was.pending:
            if was.answer.strip() and faq.lf(was.answer) == faq.lf(item.answer):
                approved += 1
            else:
                answered += 1
        elif faq.lf(was.answer) != faq.lf(item.answer):
            edited += 1
    parts = [
        _counted(n, noun, verb)
        for n, noun, verb in (
            (added, "question", "added"),
            (approved, "answer", "approved"),
            (answered, "question", "answered"),
            (edited, "answer", "edited"),
            (deleted, "question", "deleted"),
        )
        if n
    ]
    if not parts and [i.question for i in _items(before)] != [i.question for i in _items(after)]:
        parts = ["questions reordered"]
    return ", ".join(parts).capitalize() if parts else ""


def _items(value: Any) -> list[faq.Item]:
    if not isinstance(value, list):
        return []
    return [faq.item_from_api(i) for i in value if isinstance(i, dict)]


def _summary(
    title: str, names: list[str], previous: dict[str, Any], current: dict[str, Any]
) -> str:
    if names == ["faq_items"]:
        old = {
            (snapshot.text(i.get("question")), snapshot.text(i.get("answer")))
            for i in snapshot.faq_items(previous)
        }
        new_items = snapshot.faq_items(current)
        suggested = [i for i in new_items if i.get("source") == "ai" and
                     (snapshot.text(i.get("question")), snapshot.text(i.get("answer"))) not in old]  # fmt: skip
        if suggested and len(new_items) - len(snapshot.faq_items(previous)) == len(suggested):
            n = len(suggested)
            return f"{n} FAQ question{'s' if n != 1 else ''} suggested by calls"
        words = faq_change_summary(previous.get("faq_items"), current.get("faq_items"))
        if words:
            return f"FAQ changed in Revox: {words[0].lower()}{words[1:]}"[:500]
    fields = ", ".join(label_for(n).lower() for n in names)
    return f"{title} changed in Revox: {fields}"[:500]


def external_entries(previous: dict[str, Any], current: dict[str, Any]) -> list[Change]:
    """Unsaved history entries for a change found in Revox that no dashboard write explains:
    one per field group touched, with no person attached."""
    name = snapshot.without_nul(snapshot.text(current.get("name")))[:500]
    return [
        Change(
            assistant_revox_id=current["id"],
            assistant_name=name,
            kind=Change.Kind.EXTERNAL,
            group=c.group,
            before=c.before,
            after=c.after,
            summary=snapshot.without_nul(c.summary)[:500],
        )
        for c in external_changes(previous, current)
    ]


@dataclass(frozen=True)
class OwnChange:
    """A change found in Revox that is known to be one person's save of one group: it landed
    although Revox answered it with an error, and is recorded as theirs, not as made outside
    the dashboard."""

    user: AbstractBaseUser
    group: str
    kind: str

    def claim(self, entry: Change) -> Change:
        if entry.group != self.group:
            return entry
        entry.kind = self.kind
        entry.actor = self.user if self.user.is_authenticated else None
        entry.actor_name = _actor_name(self.user)
        entry.summary = (
            faq_change_summary(
                (entry.before or {}).get("faq_items"), (entry.after or {}).get("faq_items")
            )
            if self.group == "faq"
            else ""
        )
        return entry


def deleted_elsewhere_entry(last_known: dict[str, Any]) -> Change:
    """An unsaved entry for an assistant found gone from Revox. It keeps the last configuration
    the cache held, so that an Admin can recreate it as after a dashboard delete."""
    return Change(
        assistant_revox_id=last_known["id"],
        assistant_name=snapshot.without_nul(
            snapshot.text(last_known.get("name")) or last_known["id"]
        )[:500],
        kind=Change.Kind.EXTERNAL,
        before=snapshot.without_nul(snapshot.mask_secrets(snapshot.writable_fields(last_known))),
        after=None,
        summary=DELETED_ELSEWHERE,
    )


DELETED_ELSEWHERE = "Deleted in Revox, outside the dashboard"


def _actor_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


def change_record(**fields: Any) -> Change:
    """The entry change_entry makes of `fields`, written."""
    entry = change_entry(**fields)
    entry.save(force_insert=True)
    return entry


def change_entry(
    *,
    user: AbstractBaseUser | None,
    kind: str,
    assistant: dict[str, Any],
    group: str = "",
    before: Any = None,
    after: Any = None,
    related_revox_id: str = "",
    summary: str = "",
) -> Change:
    """The entry change_record writes, unsaved: made before a transaction's first write, so that
    its statements follow one another with nothing computed between them (see saved_record)."""
    return Change(
        assistant_revox_id=assistant["id"],
        assistant_name=snapshot.without_nul(snapshot.text(assistant.get("name")))[:500],
        kind=kind,
        group=group,
        actor=user if user is not None and user.is_authenticated else None,
        actor_name=_actor_name(user),
        # PostgreSQL stores no NUL character: as the cache, history keeps them as U+2400.
        before=snapshot.without_nul(before),
        after=snapshot.without_nul(after),
        related_revox_id=related_revox_id,
        summary=snapshot.without_nul(summary)[:500],
    )

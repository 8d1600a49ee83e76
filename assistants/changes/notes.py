"""What the user should see first: assistants a change set would still change (or find nothing
in), but where something about the assistant deserves a look before applying. Each note is
[what it is about, the reason in plain words], kept on the item and shown under its preview.

All of it comes from the local copy and the history already stored, in a few queries for the
whole set, so the preview stays quick for hundreds:

- the local copy of the assistant is older than REVOX_CACHE_MAX_AGE;
- the touched fields were last changed in Revox directly, outside the dashboard (sync's
  "Changed in Revox" history entries);
- the assistant's current value is not the one most of the selection has (a set that moves
  every "gpt-4.1" assistant also moves the one on another model), or a find-and-replace finds
  nothing in it although most of the selection has the text;
- an FAQ operation answers or removes a question still waiting for review, dropping its AI
  draft (kept by the dashboard for a teammate to decide);
- the change alters something else visible: a voice moved off Cartesia loses its Cartesia
  volume and model (and any setting Revox keeps for that voice only).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.timesince import timesince

from assistants import faq
from assistants.changes.models import FAQ_OPS, REPLACE, ChangeSet, ChangeSetItem
from assistants.editors.group import Group
from assistants.fields import label_for
from assistants.models import PROVIDER_LABELS, Assistant, Change, FaqDraft, SyncState

STALE = (
    "Read from Revox {age} ago, longer than the {max_age} the dashboard trusts its copy: Revox "
    "may hold something newer. Applying reads it fresh first, and reports a conflict rather "
    "than overwrite a newer change."
)
OUTSIDE = (
    "Last changed in Revox directly, outside the dashboard ({when}): whoever did it may expect "
    "it to stay as it is."
)
UNLIKE_MOST = "Now {this}, where {most} of the {total} assistants have {common}: check it is meant to change too."
NO_MATCH_UNLIKE_MOST = (
    "“{find}” is not in its {fields}, although {most} of the {total} assistants have it: its "
    "text may say it another way."
)
WAITING_QUESTION = (
    "This question is waiting for review{draft}: the change {verb} it, and the waiting draft is "
    "dropped."
)
VOICE_DROPS = (
    "Moving the voice from {old} to {new} drops its {settings}: {new} has no such setting."
)
VOICE_SETTINGS = {"volume": "Cartesia volume", "model": "Cartesia model"}

ABOUT_COPY, ABOUT_OUTSIDE = "Local copy", "Changed outside the dashboard"


def preview_notes(
    change_set: ChangeSet,
    group: Group,
    items: list[ChangeSetItem],
    assistants: dict[str, Assistant],
) -> None:
    """Fill each item's `notes` (the items are not saved yet). Items that cannot take the
    change get none: their reasons say it all."""
    open_items = [i for i in items if i.preview != ChangeSetItem.Preview.CANNOT]
    if not open_items:
        return
    ids = [i.assistant_revox_id for i in open_items]
    cutoff, confirmed, max_age = _stale_cutoff()
    outside = _changed_outside(ids, group.slug, change_set.touched)
    common = _most_common_before(change_set, open_items)
    replace_majority = _most_found(change_set, open_items)
    drafts = _kept_drafts(change_set, ids)
    for item in open_items:
        assistant = assistants[item.assistant_revox_id]
        notes: list[list[str]] = []
        synced = max(assistant.synced_at, confirmed) if confirmed else assistant.synced_at
        if synced < cutoff:
            notes.append([ABOUT_COPY, STALE.format(age=timesince(synced), max_age=max_age)])
        if item.assistant_revox_id in outside:
            when = date_format(timezone.localtime(outside[item.assistant_revox_id]), "j M Y, H:i")
            notes.append([ABOUT_OUTSIDE, OUTSIDE.format(when=when)])
        if common and item.preview == ChangeSetItem.Preview.CHANGE:
            value, most, total = common
            if _key(item.before) != value:
                this, usual = _words(group, item.before, json.loads(value))
                notes.append([
                    _labels(change_set.touched),
                    UNLIKE_MOST.format(this=this, most=most, total=total, common=usual),
                ])  # fmt: skip
        if replace_majority and item.matches == 0:
            most, total = replace_majority
            fields = ", ".join(label_for(f).lower() for f in change_set.touched)
            find = (change_set.form_data.get("find") or [""])[0]
            notes.append(["Find", NO_MATCH_UNLIKE_MOST.format(find=find, fields=fields,
                                                             most=most, total=total)])  # fmt: skip
        notes.extend(_faq_notes(change_set, assistant, drafts))
        notes.extend(_voice_notes(item))
        item.notes = notes


def _stale_cutoff() -> tuple[datetime, datetime | None, str]:
    """The time before which a copy is stale, when the last whole sync confirmed every copy,
    and the trusted age in words. A whole sync that succeeded confirmed even the rows it did not
    rewrite (their `synced_at` stays when nothing changed)."""
    max_age = timedelta(seconds=settings.REVOX_CACHE_MAX_AGE)
    state = SyncState.objects.filter(pk=1).first()
    confirmed = state.last_success_at if state else None
    now = timezone.now()
    return now - max_age, confirmed, timesince(now - max_age, now)


def _changed_outside(ids: list[str], group: str, touched: list[str]) -> dict[str, datetime]:
    """The assistants whose last history entry for the group is a change made in Revox
    directly that moved one of the touched fields: when it was found."""
    last = (
        Change.objects.filter(assistant_revox_id__in=ids, group=group)
        .values("assistant_revox_id")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    found = {}
    for entry in Change.objects.filter(id__in=list(last), kind=Change.Kind.EXTERNAL):
        before, after = entry.before or {}, entry.after or {}
        if any(before.get(k) != after.get(k) for k in touched) and not _only_suggested(
            before, after
        ):
            found[entry.assistant_revox_id] = entry.created_at
    return found


def _only_suggested(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Questions the calls suggested (AI items added, nothing else moved): Revox's own way of
    filling the review queue, not a person editing the FAQ behind the dashboard's back."""
    if set(before) | set(after) != {"faq_items"}:
        return False
    old = [(i.question, i.answer) for i in faq.current_items(before)]
    new = faq.current_items(after)
    added = [i for i in new if (i.question, i.answer) not in old]
    return (
        bool(added) and len(new) - len(old) == len(added) and all(i.source == "ai" for i in added)
    )


def _key(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True)


def _most_common_before(
    change_set: ChangeSet, items: list[ChangeSetItem]
) -> tuple[str, int, int] | None:
    """For a set of the group's form: the value more than half of the selection has now (and
    how many have it, of how many), when there is one and some differ from it. A selection of
    two has no "most"."""
    if change_set.operation in (REPLACE, FAQ_OPS) or len(items) < 3:
        return None
    counts = Counter(_key(i.before) for i in items)
    value, most = counts.most_common(1)[0]
    if most * 2 <= len(items) or most == len(items):
        return None
    return value, most, len(items)


def _most_found(change_set: ChangeSet, items: list[ChangeSetItem]) -> tuple[int, int] | None:
    if change_set.operation != REPLACE or len(items) < 3:
        return None
    found = sum(1 for i in items if i.matches)
    return (found, len(items)) if found * 2 > len(items) and found < len(items) else None


def _labels(touched: list[str]) -> str:
    return ", ".join(label_for(f) for f in touched)


def _words(group: Group, this: dict[str, Any], common: dict[str, Any]) -> tuple[str, str]:
    """Both values in the group card's plain words, only where they differ ("model
    ministral-3-8b-instruct" against "model gpt-4.1"); field by field when the set touches
    part of the group (the card describes the whole of it)."""
    if set(this) == set(group.fields):
        mine, theirs = dict(group.describe(this)), dict(group.describe(common))
        labels = [k for k in dict.fromkeys([*mine, *theirs]) if k and mine.get(k) != theirs.get(k)]
        if labels:

            def words(rows: dict[str, Any]) -> str:
                return "; ".join(
                    f"{label.lower()} {rows.get(label) or '—'}" for label in labels[:3]
                )

            return words(mine), words(theirs)
    return _field_words(this), _field_words(common)


def _field_words(values: dict[str, Any]) -> str:
    shown = []
    for key, value in values.items():
        if isinstance(value, dict):
            value = " ".join(str(v) for v in value.values() if isinstance(v, str | int | float))
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        shown.append(f"{label_for(key).lower()} “{str(value or '—')[:80]}”")
    return "; ".join(shown)


def _kept_drafts(change_set: ChangeSet, ids: list[str]) -> dict[str, FaqDraft]:
    if change_set.operation != FAQ_OPS:
        return {}
    key = faq.question_key((change_set.form_data.get("question") or [""])[0])
    drafts = FaqDraft.objects.filter(assistant_revox_id__in=ids).select_related("kept_by")
    return {d.assistant_revox_id: d for d in drafts if faq.question_key(d.question) == key}


def _faq_notes(
    change_set: ChangeSet, assistant: Assistant, drafts: dict[str, FaqDraft]
) -> list[list[str]]:
    if change_set.operation != FAQ_OPS:
        return []
    action = (change_set.form_data.get("action") or [""])[0]
    if action not in ("answer", "remove"):
        return []
    key = faq.question_key((change_set.form_data.get("question") or [""])[0])
    waiting = [i for i in faq.current_items(assistant.data) if i.key == key and i.pending]
    if not waiting:
        return []
    kept = drafts.get(assistant.revox_id)
    draft_text = (kept.answer if kept else waiting[0].answer).strip()
    draft = ""
    if draft_text:
        draft = f", with the draft answer “{draft_text[:120]}”"
        if kept and kept.kept_by:
            who = kept.kept_by.get_full_name() or kept.kept_by.get_username()
            draft += f" kept for {who}"
    verb = "answers" if action == "answer" else "removes"
    return [["Question", WAITING_QUESTION.format(draft=draft, verb=verb)]]


def _voice_notes(item: ChangeSetItem) -> list[list[str]]:
    before, after = item.before.get("voice"), item.after.get("voice")
    if item.preview != ChangeSetItem.Preview.CHANGE:
        return []
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    if before.get("provider") == after.get("provider"):
        return []
    # In a steady order: PostgreSQL's jsonb keeps an object's keys in an order of its own.
    order = list(VOICE_SETTINGS)
    dropped = sorted(
        (k for k in before if k not in after and before.get(k) is not None),
        key=lambda k: (order.index(k) if k in order else len(order), k),
    )
    if not dropped:
        return []
    words = [
        f"{VOICE_SETTINGS.get(k, k)} ({before[k]})" if isinstance(before[k], str | int | float)
        else VOICE_SETTINGS.get(k, k)
        for k in dropped
    ]  # fmt: skip
    old, new = (
        PROVIDER_LABELS.get(p, str(p)) for p in (before.get("provider"), after.get("provider"))
    )
    return [["Voice", VOICE_DROPS.format(old=old, new=new, settings=" and ".join(words))]]

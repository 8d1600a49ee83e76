"""Each item of a change set as its page shows it: the diff as history shows it (secrets
masked), why it cannot take the change, what to look at first, its outcome and links to the
history entries."""

from __future__ import annotations

from typing import Any

from assistants import snapshot
from assistants.changes.models import ChangeSetItem
from assistants.history.diff import diff_entry, plain_changes

BADGES = {
    "change": ("text-bg-primary", "Will change"),
    "already": ("text-bg-light border", "Already so"),
    "cannot": ("text-bg-warning", "Cannot take it"),
}
# A change that lands but deserves a look first (notes.py).
LOOK_BADGE = ("text-bg-info", "Look first")
OUTCOME_BADGES = {
    "changed": ("text-bg-success", "Changed"),
    "already": ("text-bg-light border", "Already so"),
    "cannot": ("text-bg-warning", "Cannot take it"),
    "conflict": ("text-bg-danger", "Conflict"),
    "failed": ("text-bg-danger", "Not saved"),
}
ROLLBACK_BADGES = {
    "restored": ("text-bg-secondary", "Put back"),
    "unchanged": ("text-bg-light border", "Nothing to put back"),
    "conflict": ("text-bg-danger", "Changed since: kept"),
    "failed": ("text-bg-danger", "Not put back"),
}


def look_first(item: ChangeSetItem) -> bool:
    """Whether the item is in the preview's "differs: look first" category: it will change,
    and something about it deserves a look (its notes)."""
    return item.preview == ChangeSetItem.Preview.CHANGE and bool(item.notes)


def item_rows(items: list[ChangeSetItem], *, group: str, whole: bool) -> list[dict[str, Any]]:
    """`whole`: the set touches every field of the group, so the group's card lines (history's
    plain words: "Model: gpt-4.1 → openai/gpt-4.1-mini") read right."""
    rows = []
    for item in items:
        diffs = (
            diff_entry(snapshot.mask_secrets(item.before), snapshot.mask_secrets(item.after))
            if item.preview == ChangeSetItem.Preview.CHANGE
            else []
        )
        plain = plain_changes(group, item.before, item.after) if diffs and whole else []
        rows.append(
            {
                "item": item,
                "diffs": diffs,
                "plain": plain,
                "preview_badge": LOOK_BADGE if look_first(item) else BADGES[item.preview],
                "outcome_badge": OUTCOME_BADGES.get(item.outcome),
                "rollback_badge": ROLLBACK_BADGES.get(item.rollback),
            }
        )
    return rows

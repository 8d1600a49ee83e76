"""Readable differences between two versions of an assistant's settings, for the history pages.

Pure functions: values in, a tree of `Diff` nodes out, which templates render with Django's
auto-escaping, so whatever an assistant holds (a prompt full of markup included) is shown as
text, never as HTML.

How values compare:
- objects key by key (`voice.speed`), recursively;
- long or multi-line text (the prompt…) as a line diff, the changed words highlighted;
- lists item by item: FAQ items by question, structured-output fields and custom tools by name,
  transfer destinations by label, header rows by key; lists without such a key (calling windows)
  by position; lists of plain values (allowed days) by what was added or removed;
- secrets (the custom LLM `api_key`) only as "changed" or "unchanged": neither the value nor the
  keyed digest that history keeps of it ever reaches a page.

Long text is compared line by line in `text.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from assistants import snapshot
from assistants.editors.groups import GROUPS
from assistants.fields import label_for
from assistants.history.text import Line, diff_text
from assistants.snapshot import voice_name_of

SECRET_KEYS = frozenset(key for _parent, key in snapshot.SECRET_PATHS)
SECRET_PATHS = frozenset(snapshot.SECRET_PATHS)

# The key that identifies an item of a list, by the list's field name.
LIST_KEYS = {
    "faq_items": "question",
    "structured_output_config": "name",
    "input_schema": "name",
    "custom_tools": "name",
    "transfer_destinations": "label",
    "channels": "id",
    "headers": "key",
    "query_params": "key",
    "general": "key",
    "field_mapping": "zoho_field",
}
# What one item of a list is called on the page.
ITEM_NOUNS = {
    "faq_items": "Question",
    "calling_windows": "Window",
    "structured_output_config": "Field",
    "input_schema": "Input",
    "custom_tools": "Tool",
    "transfer_destinations": "Destination",
    "channels": "Channel",
    "headers": "Header",
    "query_params": "Query parameter",
    "general": "Context",
    "field_mapping": "Mapping",
    "nodes": "Node",
    "edges": "Edge",
}
# Keys Revox gives list items on its own (new ids on every FAQ save): not a change anyone made.
IGNORED_ITEM_KEYS = {"faq_items": frozenset({"id"})}


# Text longer than this, or on several lines, is compared line by line.
LONG_TEXT = 100

NOT_SET = "(not set)"
EMPTY = "(empty)"
SECRET_CHANGED = "The API key was changed. It is never shown."
SECRET_SET = "An API key was set. It is never shown."
SECRET_REMOVED = "The API key was removed."


@dataclass
class Diff:
    """One difference. `kind` says how to render it:

    value: `before` → `after` (display strings); text: `lines`; object and list: `children`;
    secret: only `note`; item: one entry of a list of plain values (`after` or `before`).
    """

    label: str
    status: str  # "added", "removed", "changed"
    kind: str
    before: str = ""
    after: str = ""
    lines: list[Line] = field(default_factory=list)
    children: list[Diff] = field(default_factory=list)
    note: str = ""


# -- labels and display ---------------------------------------------------------------------


def display(value: Any, *, key: str = "") -> str:
    """A value as a person reads it. Secrets anywhere inside are replaced by a fixed word."""
    if key in SECRET_KEYS:
        return "(hidden)" if value else NOT_SET
    if value is None:
        return NOT_SET
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return value if value != "" else EMPTY
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(scrub_secrets(value), ensure_ascii=False, sort_keys=False)


def scrub_secrets(value: Any) -> Any:
    """A copy with every secret-named key's value replaced, at any depth."""
    if isinstance(value, dict):
        return {
            k: ("(hidden)" if k in SECRET_KEYS and v else scrub_secrets(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [scrub_secrets(v) for v in value]
    return value


# -- the diff -------------------------------------------------------------------------------


def diff_fields(before: dict[str, Any] | None, after: dict[str, Any] | None,
                *, parent: str = "", ignore: frozenset[str] = frozenset()) -> list[Diff]:  # fmt: skip
    """Differences between two objects, key by key, in the order the keys first appear."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    keys = [*before, *(k for k in after if k not in before)]
    diffs = []
    for key in keys:
        if key in ignore:
            continue
        diff = diff_value(key, before.get(key), after.get(key), parent=parent)
        if diff is not None:
            diffs.append(diff)
    return diffs


def _is_empty(value: Any) -> bool:
    return value is None


def diff_value(key: str, before: Any, after: Any, *, parent: str = "",
               label: str | None = None) -> Diff | None:  # fmt: skip
    """The difference of one field, or None when it did not change."""
    if before == after:
        return None
    label = label or label_for(key)
    status = "added" if _is_empty(before) else "removed" if _is_empty(after) else "changed"

    if key in SECRET_KEYS:
        return _secret_diff(label, before, after)
    unset = {"before": NOT_SET if before is None else "", "after": NOT_SET if after is None else ""}
    if _both(before, after, dict):
        return Diff(
            label, status, "object", children=diff_fields(before, after, parent=key), **unset
        )
    if _both(before, after, list):
        return Diff(
            label, status, "list", children=diff_list(key, before or [], after or []), **unset
        )
    if _both(before, after, str) and (_is_long_text(before) or _is_long_text(after)):
        return Diff(label, status, "text", lines=diff_text(before or "", after or ""))
    return Diff(
        label, status, "value", before=display(before, key=key), after=display(after, key=key)
    )


def _both(before: Any, after: Any, kind: type) -> bool:
    """Both sides are of `kind` (or unset), and at least one is set."""
    sides = [v for v in (before, after) if v is not None]
    return bool(sides) and all(isinstance(v, kind) for v in sides)


def _secret_diff(label: str, before: Any, after: Any) -> Diff:
    if not before:
        return Diff(label, "added", "secret", note=SECRET_SET)
    if not after:
        return Diff(label, "removed", "secret", note=SECRET_REMOVED)
    return Diff(label, "changed", "secret", note=SECRET_CHANGED)


def _is_long_text(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def diff_list(key: str, before: list[Any], after: list[Any]) -> list[Diff]:
    """Item by item: by the list's identifying key, by position, or as a set of plain values."""
    noun = ITEM_NOUNS.get(key, "Item")
    if all(_is_scalar(v) for v in [*before, *after]):
        return _diff_plain_list(before, after)
    item_key = LIST_KEYS.get(key)
    ignore = IGNORED_ITEM_KEYS.get(key, frozenset())
    keyed = item_key and all(
        isinstance(v, dict) and isinstance(v.get(item_key), str) for v in [*before, *after]
    )
    if keyed:
        return _diff_keyed_list(key, noun, item_key, before, after, ignore)
    return _diff_by_position(key, noun, before, after, ignore)


def _diff_plain_list(before: list[Any], after: list[Any]) -> list[Diff]:
    remaining = list(after)
    removed = []
    for value in before:
        if value in remaining:
            remaining.remove(value)
        else:
            removed.append(value)
    diffs = [Diff(display(v), "removed", "item", before=display(v)) for v in removed]
    diffs += [Diff(display(v), "added", "item", after=display(v)) for v in remaining]
    if not diffs and before != after:
        diffs.append(Diff("Order", "changed", "value",
                          before=", ".join(display(v) for v in before),
                          after=", ".join(display(v) for v in after)))  # fmt: skip
    return diffs


def _occurrences(items: list[dict[str, Any]], item_key: str) -> list[tuple[str, int]]:
    """Each item's identity: its key, and which occurrence of that key it is (duplicates)."""
    seen: dict[str, int] = {}
    identities = []
    for item in items:
        name = item[item_key]
        identities.append((name, seen.get(name, 0)))
        seen[name] = seen.get(name, 0) + 1
    return identities


def _diff_keyed_list(key: str, noun: str, item_key: str, before: list[dict], after: list[dict],
                     ignore: frozenset[str]) -> list[Diff]:  # fmt: skip
    old = dict(zip(_occurrences(before, item_key), before, strict=True))
    new = dict(zip(_occurrences(after, item_key), after, strict=True))
    diffs = []
    for identity, item in new.items():
        label = f"{noun} “{_shorten(identity[0])}”"
        if identity not in old:
            diffs.append(
                Diff(
                    label,
                    "added",
                    "object",
                    children=diff_fields({}, item, parent=key, ignore=ignore),
                )
            )
            continue
        children = diff_fields(old[identity], item, parent=key, ignore=ignore)
        if children:
            diffs.append(Diff(label, "changed", "object", children=children))
    for identity, item in old.items():
        if identity not in new:
            label = f"{noun} “{_shorten(identity[0])}”"
            diffs.append(
                Diff(
                    label,
                    "removed",
                    "object",
                    children=diff_fields(item, {}, parent=key, ignore=ignore),
                )
            )
    common_old = [i for i in old if i in new]
    common_new = [i for i in new if i in old]
    if common_old != common_new:
        diffs.append(Diff("Order", "changed", "value",
                          before=", ".join(_shorten(i[0], 40) for i in common_old),
                          after=", ".join(_shorten(i[0], 40) for i in common_new)))  # fmt: skip
    return diffs


def _diff_by_position(key: str, noun: str, before: list[Any], after: list[Any],
                      ignore: frozenset[str]) -> list[Diff]:  # fmt: skip
    diffs = []
    for index in range(max(len(before), len(after))):
        label = f"{noun} {index + 1}"
        old = before[index] if index < len(before) else None
        new = after[index] if index < len(after) else None
        if isinstance(old, dict) or isinstance(new, dict):
            if old == new:
                continue
            status = "added" if old is None else "removed" if new is None else "changed"
            old_fields = (
                {k: v for k, v in (old or {}).items() if k not in ignore}
                if isinstance(old, dict | None)
                else {"value": old}
            )
            new_fields = (
                {k: v for k, v in (new or {}).items() if k not in ignore}
                if isinstance(new, dict | None)
                else {"value": new}
            )
            children = diff_fields(old_fields, new_fields, parent=key)
            if children:
                diffs.append(Diff(label, status, "object", children=children))
        else:
            diff = diff_value(key, old, new, label=label)
            if diff is not None:
                diffs.append(diff)
    return diffs


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- entries --------------------------------------------------------------------------------


def diff_entry(before: Any, after: Any) -> list[Diff]:
    """The differences an entry holds: both sides are objects (a group's values, or a whole
    configuration), either may be missing (a create has no before, a delete no after)."""
    return diff_fields(
        before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    )


def plain_changes(group_slug: str, before: Any, after: Any, *,
                  voice_names: dict[tuple[str, str], str] | None = None) -> list[tuple[str, str, str]]:  # fmt: skip
    """The group's card lines (the overview's plain words) that differ: (label, before, after).

    "Voice: Ava → Jonas" answers "what was it before?" faster than a field-by-field diff.
    """
    group = GROUPS.get(group_slug)
    if group is None or not isinstance(before, dict) or not isinstance(after, dict):
        return []
    if group.slug == "faq":
        # "Questions: 6 → 7" says less than the entry's summary ("1 question added, 1 answer
        # approved", history_entries.py): the FAQ's details are field by field.
        return []

    def rows(values: dict[str, Any]) -> dict[str, str]:
        return dict(group.describe(values, voice_name=voice_name_of(values, voice_names or {})))

    old, new = rows(before), rows(after)
    return [
        (label, old.get(label, "—"), new.get(label, "—"))
        for label in dict.fromkeys([*old, *new])
        if old.get(label) != new.get(label)
    ]

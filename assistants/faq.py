"""FAQ items: how the dashboard decides what to send when it saves an assistant's FAQ.

Pure functions over plain data (no database, no HTTP), shared by the FAQ editor and the review
queue. Revox's rules shape everything here:

- Sending `faq_items` REPLACES the whole list, and each item sent may carry only `question` and
  `answer`. Revox gives every item sent a new id, marks it `source: "human"`, and sets
  `needs_human_answer` exactly when the answer is blank.
- AI suggestions (`source: "ai"`, `needs_human_answer: true`, with a blank or a draft answer)
  appear on their own between any two reads.

So an item keeps waiting for a human only if it is sent with a BLANK answer: sending an AI draft
back as it is would approve it. The dashboard therefore never approves a draft nobody approved:
a pending item the user did not approve or answer is sent with a blank answer. Revox cannot hold
an unapproved draft together with a waiting state, so such a save blanks the draft in Revox (the
question stays in the review queue) and the dashboard keeps it (assistants/cache/drafts.py): the
queue, the editor and history show it as before, until someone decides. A save that changes
nothing sends nothing.

Identity: because every save renumbers all ids, an item is found first by its id, then by its
question (case and spacing ignored).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistants.snapshot import faq_items, text


def question_key(question: str) -> str:
    """Two questions are the same question when they differ only in case and spacing."""
    return " ".join(question.split()).casefold()


def lf(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def answer_digest(answer: str) -> str:
    """A short digest of an answer as loaded, so a form can tell whether it was edited without
    carrying the whole text twice."""
    return hashlib.sha256(lf(answer).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Item:
    """An FAQ item as the dashboard wants Revox to hold it."""

    question: str
    answer: str  # for a pending item: its draft, kept for display and comparison only
    pending: bool  # waiting for a human: sent with a blank answer so that it keeps waiting
    source: str = "human"

    @property
    def key(self) -> str:
        return question_key(self.question)

    def to_api(self) -> dict[str, str]:
        return {"question": self.question, "answer": "" if self.pending else self.answer}


def item_from_api(data: dict[str, Any]) -> Item:
    answer = text(data.get("answer"))
    # Revox marks a blank answer as waiting; odd older data without the flag is read the same.
    pending = data.get("needs_human_answer") is True or not answer.strip()
    source = data.get("source") if data.get("source") in ("human", "ai") else "human"
    return Item(text(data.get("question")), answer, pending, source)


def current_items(assistant: dict[str, Any]) -> list[Item]:
    return [item_from_api(i) for i in faq_items(assistant)]


def same_items(wanted: list[Item], current: list[Item]) -> bool:
    """Whether saving `wanted` would change nothing that matters: same questions in the same
    order, same answers, same items waiting. A waiting item's draft is not compared: sending it
    blank would only lose the draft."""
    if len(wanted) != len(current):
        return False
    for mine, theirs in zip(wanted, current, strict=True):
        if mine.question != theirs.question or mine.pending != theirs.pending:
            return False
        if not mine.pending and lf(mine.answer) != lf(theirs.answer):
            return False
    return True


def api_value(wanted: list[Item], assistant: dict[str, Any]) -> Any:
    """The `faq_items` value to PATCH. When nothing would change, Revox's own value, exactly as
    stored, so that the save sends nothing (and no draft is cleared)."""
    if same_items(wanted, current_items(assistant)):
        return assistant.get("faq_items")
    return [item.to_api() for item in wanted]


def duplicate_of(questions: Iterable[str]) -> dict[int, int]:
    """For each position whose question repeats an earlier one: the earlier position."""
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for position, question in enumerate(questions):
        key = question_key(question)
        if not key:
            continue
        if key in first:
            repeats[position] = first[key]
        else:
            first[key] = position
    return repeats


def find(
    items: list[dict[str, Any]], *, upstream_id: str, question: str, taken: set[int]
) -> int | None:
    """The index of the item with this id, or else the first with this question, among items
    not already `taken`."""
    if upstream_id:
        for index, item in enumerate(items):
            if index not in taken and text(item.get("id")) == upstream_id:
                return index
    key = question_key(question)
    if key:
        for index, item in enumerate(items):
            if index not in taken and question_key(text(item.get("question"))) == key:
                return index
    return None


# -- the editor's save ------------------------------------------------------------------------


@dataclass(frozen=True)
class EditedRow:
    """One row of the FAQ editor as submitted, with what it was when the form was opened."""

    question: str
    answer: str
    upstream_id: str = ""  # "" for a row the user added
    original_question: str = ""
    original_answer_digest: str = ""
    was_pending: bool = False
    approved: bool = False
    deleted: bool = False
    source: str = "human"

    @property
    def is_new(self) -> bool:
        return not self.upstream_id and not self.original_question

    @property
    def answer_edited(self) -> bool:
        return answer_digest(self.answer) != self.original_answer_digest

    @property
    def touched(self) -> bool:
        return (
            self.is_new
            or self.question != self.original_question
            or self.answer_edited
            or self.approved
        )

    @property
    def stays_pending(self) -> bool:
        """A suggestion the user neither approved nor answered keeps waiting for a human."""
        if not self.was_pending or self.approved:
            return False
        return not self.answer.strip() or not self.answer_edited

    def wanted(self) -> Item:
        if self.stays_pending:
            return Item(self.question, self.answer, pending=True, source=self.source)
        return Item(self.question, self.answer, pending=False)


def editor_items(rows: list[EditedRow]) -> list[Item]:
    """What the user asked for, ignoring anything that happened upstream."""
    return [row.wanted() for row in rows if not row.deleted]


def merge(rows: list[EditedRow], assistant: dict[str, Any]) -> list[Item]:
    """Fold the user's edits into what Revox holds NOW (a three-way merge: as loaded, as
    edited, as it is upstream).

    - Items that appeared upstream after the form was opened are kept, appended at the end.
    - Items the user deleted stay deleted, even if a teammate edited them meanwhile.
    - Items the user touched (edited, approved, or added) are saved as the user left them: the
      user saw and changed them, so theirs wins over a teammate's concurrent edit.
    - Items the user did not touch take Revox's current version (a teammate's edit, or an
      approval made in the review queue, is not undone); if a teammate deleted one, it stays
      deleted.
    The user's order is kept for the items they had.
    """
    upstream = faq_items(assistant)
    taken: set[int] = set()
    matches: dict[int, int] = {}
    # Ids first (exact), then questions (ids change on every save).
    for use_question in (False, True):
        for position, row in enumerate(rows):
            if row.is_new or position in matches:
                continue
            index = find(
                upstream,
                upstream_id="" if use_question else row.upstream_id,
                question=row.original_question if use_question else "",
                taken=taken,
            )
            if index is not None:
                matches[position] = index
                taken.add(index)

    result: list[Item] = []
    for position, row in enumerate(rows):
        if row.deleted:
            continue
        index = matches.get(position)
        if row.touched or row.is_new:
            result.append(row.wanted())
        elif index is not None:
            result.append(item_from_api(upstream[index]))
    result += [item_from_api(item) for index, item in enumerate(upstream) if index not in taken]
    return result


# -- the review queue's actions ---------------------------------------------------------------

APPROVE, ANSWER, DELETE = "approve", "answer", "delete"

NOT_FOUND = "This question is no longer in Revox: it was deleted or reworded meanwhile."
NO_ANSWER = (
    "There is no answer to approve yet: write the answer callers should hear, then approve it."
)
ANSWER_REQUIRED = "Write an answer first."
ALREADY_ANSWERED = "Already answered in Revox; left as it is."
ALREADY_DELETED = "Already gone from Revox."
ALREADY_SAME = "Revox already holds this answer."


@dataclass(frozen=True)
class Action:
    """One review decision on one item of one assistant."""

    kind: str  # APPROVE, ANSWER or DELETE
    upstream_id: str
    question: str
    answer: str = ""  # ANSWER: the new answer; APPROVE: the answer shown, "" for the draft
    # APPROVE with no answer shown: the draft the dashboard kept for this question, approved
    # when Revox holds none of its own (assistants/cache/drafts.py).
    kept_draft: str = ""


@dataclass(frozen=True)
class ActionResult:
    action: Action
    status: str  # "applied", "unchanged" (already done: nothing to send) or "failed"
    message: str = ""


def apply_actions(
    assistant: dict[str, Any], actions: list[Action]
) -> tuple[list[Item], list[ActionResult]]:
    """Apply review decisions to the FAQ as Revox holds it now.

    Idempotent: an item already approved, answered the same way, or deleted counts as done and
    changes nothing, so retrying a batch whose save did land applies nothing twice. Everything
    the actions do not name (suggestions that arrived meanwhile included) is kept as it is.
    """
    upstream = faq_items(assistant)
    items: list[Item | None] = [item_from_api(i) for i in upstream]
    taken: set[int] = set()
    results: list[ActionResult] = []
    for action in actions:
        index = find(
            upstream, upstream_id=action.upstream_id, question=action.question, taken=taken
        )
        if index is None:
            if action.kind == DELETE:
                results.append(ActionResult(action, "unchanged", ALREADY_DELETED))
            else:
                results.append(ActionResult(action, "failed", NOT_FOUND))
            continue
        taken.add(index)
        item = items[index]
        assert item is not None
        if action.kind == DELETE:
            items[index] = None
            results.append(ActionResult(action, "applied"))
        elif action.kind == APPROVE:
            if not item.pending:
                results.append(ActionResult(action, "unchanged", ALREADY_ANSWERED))
                continue
            answer = next(
                (a for a in (action.answer, item.answer, action.kept_draft) if a.strip()), ""
            )
            if not answer.strip():
                results.append(ActionResult(action, "failed", NO_ANSWER))
                continue
            items[index] = Item(item.question, lf(answer), pending=False)
            results.append(ActionResult(action, "applied"))
        elif action.kind == ANSWER:
            if not action.answer.strip():
                results.append(ActionResult(action, "failed", ANSWER_REQUIRED))
            elif not item.pending and lf(item.answer) == lf(action.answer):
                results.append(ActionResult(action, "unchanged", ALREADY_SAME))
            else:
                items[index] = Item(item.question, lf(action.answer), pending=False)
                results.append(ActionResult(action, "applied"))
        else:
            raise ValueError(f"unknown action {action.kind!r}")
    return [item for item in items if item is not None], results

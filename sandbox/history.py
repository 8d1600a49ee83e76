"""A seeded call history: weeks of past calls per assistant, made by the configurations that were
in force, so the dashboard's call record and "outcomes per change" have something true to show.

Each listed assistant had four versions: three changes led to the configuration it has now, the
last one at its `updated_at`. One change rewrote the first sentence and made calls visibly
better (more interested or completed outcomes), one switched the LLM model and made them worse,
one changed the voice's speed (or the maximum duration) and changed nothing; the order of the
three turns from one assistant to the next. Every call carries the whole configuration it ran
with, so versions can be told apart from the calls alone.

Kept compactly, so that 500,000 calls over 2,000 assistants fit in a few tens of megabytes and
are drawn in seconds: a few numbers per call in arrays (when, which assistant and version, how it
ended), everything else drawn again from the call's own seeded generator when the call is asked
for, as the plan of a call placed then (`callplan.make_plan`). Drawn relative to an anchor (the
moment of the reset), so the newest calls are hours old whatever the date.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import random
from array import array
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox import callplan, conversation, model, seeds
from sandbox.validation.engine import Errors

DAY_MS = 86_400_000
HISTORY_DAYS = 30  # before the last change; the calls since then run up to the anchor
# How many calls each demo assistant made, in listing order (tens to a few hundred).
DEMO_CALLS = (240, 320, 120, 180, 280, 80, 400, 160, 90, 260, 200, 60, 140)
EFFECTS = {"first_sentence": 2.0, "llm_model": 0.45, "voice": 1.0}  # success share multiplier
ORDERS = (
    ("first_sentence", "voice", "llm_model"),
    ("llm_model", "first_sentence", "voice"),
    ("voice", "llm_model", "first_sentence"),
)
# What an attempt that did not fail does, as the share of draws below each bound: half reach a
# person, a quarter voicemail, 15 % ring out, the rest are busy.
ANSWER_THRESHOLDS = (("answered", 0.5), ("voicemail", 0.75), ("no_answer", 0.9), ("busy", 1.01))
ERROR_SHARE = 0.02
OUTCOME_CODES = (None, *conversation.OUTCOMES)
RESULT_CODES = (None, "human", "voicemail")
STATUS_CODES = ("completed", "errored")
LAST_RESULT = {"answered": "human", "voicemail": "voicemail"}  # by what the last attempt did
# Seconds of conversation by outcome (mean, spread); a voicemail lasts about 30 s in all.
TALK_SECONDS = {
    "interested": (150, 60),
    "completed": (120, 40),
    "requested_callback_later": (40, 12),
    "not_interested": (25, 10),
}
# The compact columns, one entry per call.
COLUMNS = {
    "created": "q",  # epoch ms
    "assistant": "H",  # index of the assistant
    "number": "I",  # its k-th call
    "version": "B",
    "outcome": "b",  # index in OUTCOME_CODES
    "result": "b",  # index in RESULT_CODES (of the last attempt)
    "status": "b",  # index in STATUS_CODES
    "updated": "q",  # when its last state change happened
    "to": "q",  # the number called, without its +1
    "answers": "Q",  # what each attempt did (_encode; the seeds retry at most 5 times)
    "duration": "I",  # ms per attempt, as a call script's duration_ms
    "key": "q",  # seeds the call's own generator (the variables its prompt uses)
    "first": "B",  # the person's first and last name, in conversation's lists
    "last": "B",
}
VARIABLE_VALUES = ("Elm Street", "the premium plan", "Blue Harbour", "order 4471", "Suite 12")


class History:
    def __init__(self, records: list[dict], *, anchor_ms: int, calls_per_assistant: int | None):
        self.anchor_ms = anchor_ms
        listed = [r for r in records if r.get("type") != "sub-assistant"]
        self.assistants = listed
        # Not the anchor: the same seed draws the same calls (and ids), only moved in time.
        key = hashlib.sha256(f"history:{calls_per_assistant}".encode()).hexdigest()
        self.prefix = f"{key[:8]}-{key[8:12]}-4{key[13:16]}-8{key[17:20]}-"
        self.seed = int(key[20:36], 16)
        self.spans = [_span(record, anchor_ms) for record in listed]
        # Assistants with the same retry plan share one calendar of calling hours.
        calendars: dict[str, list[tuple[int, int]]] = {}
        earliest = min((span[0] for span in self.spans), default=0)
        latest = max((span[1] for span in self.spans), default=0)
        self.open_times = []
        for record, span in zip(listed, self.spans, strict=True):
            retry = callplan.effective_retry(record)
            plan_key = json.dumps(retry, sort_keys=True)
            if plan_key not in calendars:
                calendars[plan_key] = _calendar(retry, earliest, latest)
            self.open_times.append(_open_times(calendars[plan_key], span))
        self.versions = [
            _versions(index, record, self.spans[index]) for index, record in enumerate(listed)
        ]
        # Per version: its retry plan and the variables its first sentence and prompt use.
        self.retry = [[callplan.effective_retry(v) for v in versions] for versions in self.versions]
        self.placeholders = [[_placeholders(v) for v in versions] for versions in self.versions]
        self.counts = [
            calls_per_assistant
            if calls_per_assistant is not None
            else DEMO_CALLS[index % len(DEMO_CALLS)]
            for index in range(len(listed))
        ]
        columns = {name: array(code) for name, code in COLUMNS.items()}
        for a in range(len(listed)):
            self._draw_all(a, columns)
        # Oldest first: the order search pages through.
        created = columns["created"]
        order = sorted(range(len(created)), key=created.__getitem__)
        for name, column in columns.items():
            setattr(self, name, array(column.typecode, map(column.__getitem__, order)))
        # Row positions per assistant, oldest first.
        self.by_assistant: dict[str, array] = {r["id"]: array("I") for r in listed}
        for position, a in enumerate(self.assistant):
            self.by_assistant[listed[a]["id"]].append(position)

    def __len__(self) -> int:
        return len(self.created)

    # --- one call ----------------------------------------------------------------------------

    def call_id(self, a: int, k: int) -> str:
        return f"{self.prefix}{a:04x}{k:08x}"

    def _draw_all(self, a: int, columns: dict[str, array]) -> None:
        """Assistant a's calls, drawn one after the other from its own generator into the
        columns: what search needs, and the key of each call's own generator for the rest
        (the variables its prompt uses). Plain loops: 500,000 calls go through here."""
        rng = random.Random(f"{self.seed}:{a}")
        random_ = rng.random
        _, _, changes = self.spans[a]
        opens, offsets, total = self.open_times[a]
        success_of = [
            min(0.85, max(0.1, _base_success(a) * _quality(a, v))) for v in range(len(changes) + 1)
        ]
        attempts_of = [int(retry.get("max_retry_attempts") or 1) for retry in self.retry[a]]
        names, surnames = len(conversation.FIRST_NAMES), len(conversation.LAST_NAMES)
        talk_share = callplan.SHARES["talk"]
        append = {name: column.append for name, column in columns.items()}
        for k in range(self.counts[a]):
            # A moment within calling hours, all of them equally likely.
            offset = int(random_() * total)
            window = bisect.bisect_right(offsets, offset) - 1
            created = opens[window] + offset - offsets[window]
            version = bisect.bisect_right(changes, created)
            answers: list[str] = []
            for _ in range(attempts_of[version]):
                if random_() < ERROR_SHARE:
                    answers.append("error")
                    break
                draw = random_()
                answer = next(name for name, below in ANSWER_THRESHOLDS if draw < below)
                answers.append(answer)
                if answer == "answered":
                    break
            if random_() < success_of[version]:
                outcome = "interested" if random_() < 0.55 else "completed"
            else:
                outcome = "requested_callback_later" if random_() < 0.55 else "not_interested"
            mean, spread = TALK_SECONDS[outcome]
            talk_s = max(8.0, rng.gauss(mean, spread))
            last = answers[-1]
            if last != "answered":
                outcome = None
                talk_s = 30.0
            duration_ms = int(talk_s * 1000 / talk_share)
            append["created"](created)
            append["assistant"](a)
            append["number"](k)
            append["version"](version)
            append["outcome"](OUTCOME_CODES.index(outcome))
            append["result"](RESULT_CODES.index(LAST_RESULT.get(last)))
            append["status"](1 if last == "error" else 0)
            append["updated"](_ended(created, answers, duration_ms, self.versions[a][version],
                                     self.retry[a][version]))  # fmt: skip
            append["to"](2_012_000_000 + int(random_() * 7_887_999_999))
            append["answers"](_encode(answers))
            append["duration"](duration_ms)
            append["first"](int(random_() * names))
            append["last"](int(random_() * surnames))
            append["key"](rng.getrandbits(63))

    def plan(self, position: int) -> dict:
        """The plan of the call at `position`, as if it had been placed then."""
        a, version = self.assistant[position], self.version[position]
        record = self.versions[a][version]
        first = conversation.FIRST_NAMES[self.first[position]]
        variables = {"first_name": first, "last_name": conversation.LAST_NAMES[self.last[position]]}
        rng = random.Random(self.key[position])
        for name in self.placeholders[a][version]:
            variables.setdefault(name, VARIABLE_VALUES[rng.randrange(len(VARIABLE_VALUES))])
        outcome = OUTCOME_CODES[self.outcome[position]]
        plan = callplan.make_plan(
            call_id=self.call_id(a, self.number[position]),
            created_ms=self.created[position],
            phone_number=f"+1{self.to[position]}",
            assistant=record,
            prompt_variables=variables,
            skip_calling_window=True,
            seed=self.key[position],
            checked=True,
            script={
                "attempts": _decode(self.answers[position]),
                "duration_ms": self.duration[position],
                **({"outcome": outcome} if outcome else {}),
            },
        )
        plan["assistant_id"] = record["id"]
        return plan

    def plan_by_id(self, call_id: str) -> dict | None:
        a, k = self._numbers(call_id)
        if a is None:
            return None
        for position in self.by_assistant[self.assistants[a]["id"]]:
            if self.number[position] == k:
                return self.plan(position)
        return None

    # --- search ------------------------------------------------------------------------------

    def row(self, position: int) -> tuple:
        """The search row (see callstore.ROW_FIELDS) of the call at `position`; its text is
        left empty, as `matching` has already searched it."""
        a, k = self.assistant[position], self.number[position]
        record = self.versions[a][self.version[position]]
        return (
            self.created[position],
            self.call_id(a, k),
            record["id"],
            STATUS_CODES[self.status[position]],
            OUTCOME_CODES[self.outcome[position]],
            RESULT_CODES[self.result[position]],
            _origin(record),
            f"+1{self.to[position]}",
            "",
            self.updated[position],
            self.created[position],
        )

    def matching(self, wanted: Any) -> Any:
        """The rows (oldest first) that pass every filter of `wanted` (a callstore.Filters but for
        its direction, campaigns and assignees), answered from the columns."""
        positions: Any = self.positions(wanted.assistant_ids)
        if wanted.call_ids:
            found = set()
            for call_id in wanted.call_ids:
                a, k = self._numbers(call_id)
                if a is not None:
                    found.update(p for p in self.by_assistant[self.assistants[a]["id"]]
                                 if self.number[p] == k)  # fmt: skip
            positions = [p for p in positions if p in found] if found else []
        for column, wanted_values, codes in (
            (self.status, wanted.statuses, STATUS_CODES),
            (self.outcome, wanted.outcomes, OUTCOME_CODES),
            (self.result, wanted.results, RESULT_CODES),
        ):
            if wanted_values:
                allowed = {i for i, v in enumerate(codes) if (v or "none") in wanted_values}
                positions = [p for p in positions if column[p] in allowed]
        if wanted.to_number is not None:
            digits = wanted.to_number.removeprefix("+1")
            number = int(digits) if digits.isdigit() and wanted.to_number.startswith("+1") else -1
            positions = [p for p in positions if self.to[p] == number]
        if wanted.from_numbers:
            calling = {
                (a, v)
                for a, versions in enumerate(self.versions)
                for v, record in enumerate(versions)
                if _origin(record) in wanted.from_numbers
            }
            positions = [p for p in positions if (self.assistant[p], self.version[p]) in calling]
        if wanted.query is not None:
            positions = self._containing(positions, wanted.query)
        return positions

    def _containing(self, positions: Any, query: str) -> list[int]:
        """The rows whose text (see `row`) holds `query`, without making each row's text: the
        summary depends only on the outcome and the first name, the name on the version."""
        summaries = {
            (o, f)
            for o, outcome in enumerate(OUTCOME_CODES)
            for f, first in enumerate(conversation.FIRST_NAMES)
            if outcome and query in conversation.summary(outcome, first).lower()
        }
        named = {
            (a, v)
            for a, versions in enumerate(self.versions)
            for v, record in enumerate(versions)
            if query in (record.get("name") or "").lower() or query in _origin(record)
        }
        numeric = set(query) <= set("+0123456789") and query.strip("+") != ""
        return [
            p
            for p in positions
            if (self.outcome[p], self.first[p]) in summaries
            or (self.assistant[p], self.version[p]) in named
            or (numeric and query in f"+1{self.to[p]}")
        ]

    def _numbers(self, call_id: str) -> tuple[int | None, int]:
        """(assistant index, its k-th call) that a history call id names, or (None, 0)."""
        if not call_id.startswith(self.prefix) or len(call_id) != len(self.prefix) + 12:
            return None, 0
        try:
            a, k = int(call_id[-12:-8], 16), int(call_id[-8:], 16)
        except ValueError:
            return None, 0
        return (a, k) if a < len(self.assistants) and k < self.counts[a] else (None, 0)

    def positions(self, assistant_ids: set[str]) -> Any:
        """The rows of those assistants (all when empty), oldest first."""
        if not assistant_ids:
            return range(len(self.created))
        chosen = [self.by_assistant[i] for i in assistant_ids if i in self.by_assistant]
        if len(chosen) == 1:
            return chosen[0]
        return sorted(position for rows in chosen for position in rows)


# --- the versions and their effect -------------------------------------------------------------


def _versions(index: int, record: dict, span: tuple[int, int, list[int]]) -> list[dict]:
    """The assistant's four configurations, oldest first; the last one is the record itself."""
    versions = [record]
    start, _, changes = span
    order = ORDERS[index % len(ORDERS)]
    current = record
    for step, kind in reversed(list(enumerate(order))):
        older = _undo(kind, current)
        at = changes[step - 1] if step else start
        # (Before created_at for a generated assistant, whose history starts before it: each
        # version must have its own updated_at, as every write gives one.)
        older["updated_at"] = model.format_timestamp(at)
        versions.insert(0, older)
        current = older
    return versions


def _undo(kind: str, record: dict) -> dict:
    # Shallow: only the changed key gets a new value, and nothing changes a version in place.
    older = dict(record)
    company = (record.get("name") or "us").split(" – ")[0].split(" - ")[0]
    if kind == "first_sentence":
        older["first_sentence"] = f"Hello, this is an automated call from {company}."
        if older.get("first_sentence_mode") == "none":
            older["first_sentence_mode"] = "static"
    elif kind == "llm_model":
        llm = record.get("llm_model") or {}
        cheaper = {"type": "dedicated-instance", "name": "ministral-3-8b-instruct"}
        older["llm_model"] = (
            {"type": "dedicated-instance", "name": "gpt-4.1"} if llm == cheaper else cheaper
        )
    elif record.get("voice"):  # a copy sharing the rest: versions are never changed in place
        speed = record["voice"].get("speed") or 1.0
        older["voice"] = {**record["voice"], "speed": 0.9 if speed != 0.9 else 1.0}
    else:
        older["max_call_duration_secs"] = (
            300 if record.get("max_call_duration_secs") != 300 else 600
        )
    return older


def _quality(a: int, version: int) -> float:
    """The success share's multiplier in force at `version` (0 = before any change)."""
    factor = 1.0
    for kind in ORDERS[a % len(ORDERS)][:version]:
        factor *= EFFECTS[kind]
    return factor


def _base_success(a: int) -> float:
    return 0.3 + (a * 7919 % 13) / 100


def _span(record: dict, anchor_ms: int) -> tuple[int, int, list[int]]:
    """(first call, last call, the three change times) of an assistant's history."""
    last_change = model.parse_timestamp(record["updated_at"])
    created = _created_ms(record)
    if last_change - created >= 14 * DAY_MS:
        start = max(created, last_change - HISTORY_DAYS * DAY_MS)
    else:
        start = last_change - HISTORY_DAYS * DAY_MS
    retry = callplan.effective_retry(record)
    delays = [w["retry_delay_seconds"] for w in retry.get("calling_windows") or []] or [0]
    attempts = int(retry.get("max_retry_attempts") or 1)
    # The newest call ends well before the anchor: every call of the history is over.
    end = anchor_ms - (attempts - 1) * max(delays) * 1000 - 2 * 3_600_000
    if anchor_ms and end < start + DAY_MS:
        start = end - HISTORY_DAYS * DAY_MS
    span = last_change - start
    return start, max(end, start + 1), [start + span * step // 3 for step in (1, 2, 3)]


def _open_times(
    calendar: list[tuple[int, int]], span: tuple[int, int, list[int]]
) -> tuple[list[int], list[int], int]:
    """The calling hours within the span, as (when each window opens, how much open time came
    before it, the open time in all); the whole span when the config allows no time at all."""
    start, end, _ = span
    opens: list[int] = []
    offsets: list[int] = []
    total = 0
    first = max(0, bisect.bisect_left(calendar, (start, 0)) - 1)
    for opening, closing in calendar[first:]:
        if opening >= end:
            break
        opening, closing = max(opening, start), min(closing, end)
        if closing > opening:
            opens.append(opening)
            offsets.append(total)
            total += closing - opening
    if not opens:
        return [start], [0], end - start
    return opens, offsets, total


def _calendar(retry: dict, start: int, end: int) -> list[tuple[int, int]]:
    """Every (opening, closing) of the calling windows between start and end. History numbers
    are American: without a time zone in the config, the hours are New York's."""
    tz = callplan.zone(retry, "+1")
    intervals = []
    at = start
    while at < end:
        found = callplan.next_open(at, retry, tz)
        if found is None or found[0] >= end:
            break
        opening, window = found
        close = callplan.minutes_of_day(window["calling_window_end_time"])
        local = datetime.fromtimestamp(opening / 1000, tz=UTC).astimezone(tz)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        closes = midnight + timedelta(minutes=close if close else 24 * 60)
        closing = min(end, int(closes.timestamp() * 1000))
        if closing <= opening:
            closing = min(end, opening + 60_000)
        intervals.append((opening, closing))
        at = closing + 1
    return intervals


def _created_ms(record: dict) -> int:
    return model.parse_timestamp(record["created_at"])


def _origin(record: dict) -> str:
    return record.get("from_phone_number") or callplan.DEFAULT_FROM_NUMBER


def _placeholders(record: dict) -> list[str]:
    text = f"{record.get('first_sentence') or ''} {record.get('prompt') or ''}"
    return [m.group(1) for m in conversation.PLACEHOLDER.finditer(text)]


def _ended(created: int, answers: list[str], duration_ms: int, record: dict, retry: dict) -> int:
    """When the call's last state change happened: callplan.make_plan's timeline (its shares of
    `duration_ms`), without drawing what was said. Tests hold the two together."""
    shares = callplan.SHARES
    queue = min(max(1, int(duration_ms * shares["queue"])), callplan.MAX_QUEUE_MS)
    ring_ms = max(1, int(duration_ms * shares["ring"]))
    talk = max(1, int(duration_ms * shares["talk"]))
    max_talk = int(float(record.get("max_call_duration_secs") or 600) * 1000)
    windows = retry.get("calling_windows")
    delay_ms = windows[0]["retry_delay_seconds"] * 1000 if windows else 0
    at = created + queue
    end = at
    for number, answer in enumerate(answers):
        end = at + (ring_ms // 2 if answer == "busy" else ring_ms)
        if answer == "answered":
            return end + min(talk, max_talk) + max(1, int(duration_ms * shares["post"]))
        if answer == "voicemail":
            end += min(talk // 3, max_talk)
        elif answer == "error":
            return end
        at = end + (0 if number == 0 and retry.get("call_twice_in_a_row") else delay_ms)
    return end


def _encode(answers: list[str]) -> int:
    """Attempts as digits in base 6 (callplan.ANSWERS' index + 1), the first one lowest."""
    code = 0
    for answer in reversed(answers):
        code = code * 6 + callplan.ANSWERS.index(answer) + 1
    return code


def _decode(code: int) -> list[str]:
    answers = []
    while code:
        code, digit = divmod(code, 6)
        answers.append(callplan.ANSWERS[digit - 1])
    return answers


def for_seed(
    seed: Any, records: list[dict], *, anchor_ms: int, calls_per_assistant: int | None = None
) -> tuple[History | None, dict]:
    """The history of a seed's assistants (None: no calls at all) and what made it, to keep in
    the data file; `calls_per_assistant` overrides the seed's own number."""
    count = (
        calls_per_assistant if calls_per_assistant is not None else seeds.calls_per_assistant(seed)
    )
    spec = {"seed": seed, "calls_per_assistant": count, "anchor_ms": anchor_ms}
    if count == 0 or not records:
        return None, spec
    return History(records, anchor_ms=anchor_ms, calls_per_assistant=count), spec


def from_spec(spec: dict) -> History | None:
    """The history `for_seed` made, drawn again (the seed's assistants as they were seeded)."""
    count = spec["calls_per_assistant"]
    if count == 0:
        return None
    records = seeds.build(spec["seed"], Errors(), "seed") or []
    if not records:
        return None
    return History(records, anchor_ms=spec["anchor_ms"], calls_per_assistant=count)

"""Outcomes per change: an assistant's recorded calls grouped by the version of the assistant
they ran with, each version set against the one before, and the chart of outcomes over time.

A version is a configuration calls carried (`call.assistant`): its `updated_at` and a digest of
its settings. Consecutive versions with the same settings (a save that changed nothing) are one.
Each version is explained by the history entries made while it was the newest (matched by time:
an entry is written just after Revox answered the save), or else it was changed outside the
dashboard.

"Better" or "worse" is the share of answered calls (a person picked up) that ended interested or
completed, compared with a two-proportion z-test: |z| ≥ 1.96 (beyond chance at the usual 5 %
level). The test is only said when its normal approximation holds: at least MIN_ANSWERED answered
calls on each side, and at least MIN_EXPECTED calls expected to go well and to not go well on each
side (at the two versions' pooled share). Otherwise: "not enough calls yet to tell".
"""

from __future__ import annotations

import itertools
import math
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from assistants.calls.models import Call, CallConfiguration
from assistants.editors.forms.common import OUTCOMES
from assistants.editors.groups import GROUPS
from assistants.history.diff import diff_entry, plain_changes
from assistants.history_entries import external_changes
from assistants.models import Change

MIN_ANSWERED = 10
MIN_EXPECTED = 5
Z_CRITICAL = 1.96
GOOD_OUTCOMES = ("interested", "completed")
# How the chart and the tables order outcomes: good first, then the rest, then none.
OUTCOME_ORDER = ("interested", "completed", "requested_callback_later", "not_interested", "")
OUTCOME_LABELS = {**{k: str(v) for k, v in OUTCOMES.items()}, "": "No outcome"}
# History entries that change an assistant's configuration.
CHANGE_KINDS = (
    Change.Kind.CREATE, Change.Kind.UPDATE, Change.Kind.FAQ_REVIEW, Change.Kind.RESTORE,
    Change.Kind.IMPORT, Change.Kind.EXTERNAL,
)  # fmt: skip
# A history entry is written a moment after Revox stamped the version's updated_at.
MATCH_SLACK = timedelta(minutes=2)

NOT_ENOUGH = (
    "Not enough calls yet to tell: this version has {a} answered calls, the one before {b} "
    "(the test needs at least {n} on each side, and at least {e} that went well and {e} that "
    "did not expected on each side)."
)
BETTER = (
    "Better, beyond chance: {now} of answered calls ended interested or completed, against "
    "{before} with the version before ({p})."
)
WORSE = (
    "Worse, beyond chance: {now} of answered calls ended interested or completed, against "
    "{before} with the version before ({p})."
)
SAME = (
    "No difference beyond chance: {now} of answered calls ended interested or completed, "
    "against {before} with the version before ({p})."
)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def two_proportion_z(good_a: int, n_a: int, good_b: int, n_b: int) -> float:
    """z for the difference between two shares (pooled standard error); 0 when undefined."""
    if not n_a or not n_b:
        return 0.0
    pooled = (good_a + good_b) / (n_a + n_b)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if spread == 0:
        return 0.0
    return (good_a / n_a - good_b / n_b) / spread


def p_value(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


@dataclass
class Version:
    number: int
    key: tuple[Any, str]
    digest: str
    version_at: datetime | None
    first_call: datetime | None = None
    last_call: datetime | None = None
    calls: int = 0
    answered: int = 0
    good: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    durations: list[int] = field(default_factory=list)
    required: int = 0
    captured: int = 0
    changes: list[Change] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    verdict: str = ""
    tone: str = ""

    @property
    def start(self) -> datetime | None:
        return self.version_at or self.first_call

    @property
    def answered_share(self) -> str:
        return _percent(_share(self.answered, self.calls))

    @property
    def good_share(self) -> str:
        return _percent(_share(self.good, self.answered))

    @property
    def median_duration(self) -> int | None:
        return int(statistics.median(self.durations)) if self.durations else None

    @property
    def captured_share(self) -> str:
        return _percent(_share(self.captured, self.required))

    @property
    def outcome_rows(self) -> list[tuple[str, str, int, str]]:
        return [
            (key or "none", OUTCOME_LABELS.get(key, key), self.outcomes.get(key, 0),
             _percent(_share(self.outcomes.get(key, 0), self.calls)))
            for key in _outcome_keys([self])
        ]  # fmt: skip

    @property
    def explained(self) -> bool:
        return any(c.kind != Change.Kind.EXTERNAL for c in self.changes)


def _outcome_keys(versions: list[Version]) -> list[str]:
    seen = {k for v in versions for k in v.outcomes}
    return [k for k in OUTCOME_ORDER if k in seen] + sorted(seen - set(OUTCOME_ORDER))


def _versions(revox_id: str) -> tuple[list[Version], list[tuple]]:
    rows = list(
        # A test call of unsaved changes ran a configuration that was never the assistant's.
        Call.objects.filter(assistant_revox_id=revox_id, tried_changes=False)
        .order_by("created_at", "id")
        .values_list(
            "created_at",
            "outcome",
            "answered",
            "duration_seconds",
            "required_fields",
            "required_captured",
            "version_at",
            "config_digest",
        )
    )
    by_key: dict[tuple[Any, str], Version] = {}
    for created, outcome, answered, duration, required, captured, version_at, digest in rows:
        key = (version_at, digest)
        version = by_key.get(key)
        if version is None:
            version = by_key[key] = Version(0, key, digest, version_at, first_call=created)
        version.last_call = created or version.last_call
        version.calls += 1
        version.outcomes[outcome] = version.outcomes.get(outcome, 0) + 1
        if answered:
            version.answered += 1
            version.good += outcome in GOOD_OUTCOMES
            if duration is not None:
                version.durations.append(duration)
        version.required += required
        version.captured += captured
    ordered = sorted(
        by_key.values(),
        key=lambda v: (v.start is None, v.start or datetime.min, v.first_call or datetime.min),
    )
    merged: list[Version] = []
    for version in ordered:
        if merged and merged[-1].digest == version.digest:
            # Same settings, a newer updated_at (a save that changed nothing): one version.
            last = merged[-1]
            last.calls += version.calls
            last.answered += version.answered
            last.good += version.good
            for k, n in version.outcomes.items():
                last.outcomes[k] = last.outcomes.get(k, 0) + n
            last.durations += version.durations
            last.required += version.required
            last.captured += version.captured
            last.last_call = version.last_call or last.last_call
            continue
        merged.append(version)
    for number, version in enumerate(merged, start=1):
        version.number = number
    return merged, rows


def _testable(a: Version, b: Version) -> bool:
    if a.answered < MIN_ANSWERED or b.answered < MIN_ANSWERED:
        return False
    pooled = (a.good + b.good) / (a.answered + b.answered)
    return all(
        n * pooled >= MIN_EXPECTED and n * (1 - pooled) >= MIN_EXPECTED
        for n in (a.answered, b.answered)
    )


def _verdict(version: Version, before: Version) -> tuple[str, str]:
    if not _testable(version, before):
        words = {"n": MIN_ANSWERED, "e": MIN_EXPECTED, "a": version.answered, "b": before.answered}
        return NOT_ENOUGH.format(**words), "muted"
    z = two_proportion_z(version.good, version.answered, before.good, before.answered)
    words = {"now": version.good_share, "before": before.good_share, "p": _p_text(p_value(z))}
    if z >= Z_CRITICAL:
        return BETTER.format(**words), "better"
    if z <= -Z_CRITICAL:
        return WORSE.format(**words), "worse"
    return SAME.format(**words), "same"


def _group_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed between two configurations, group by group, in the history's words."""
    return [
        {
            "group": GROUPS.get(change.group),
            "summary": change.summary,
            "plain": plain_changes(change.group, change.before, change.after),
            "diffs": diff_entry(change.before, change.after),
        }
        for change in external_changes(before, after)
    ]


def _attach_changes(revox_id: str, versions: list[Version]) -> list[Change]:
    """Give each version the history entries that led to it: those made after the version
    before it and by the time it was stamped (an entry is written a moment after Revox stamps
    the save, hence the slack). Returns the entries no call has run with yet."""
    entries = list(
        Change.objects.filter(assistant_revox_id=revox_id, kind__in=CHANGE_KINDS).order_by(
            "created_at", "id"
        )
    )
    dated = [v for v in versions if v.version_at]
    pending = []
    for entry in entries:
        owner = next((v for v in dated if v.version_at >= entry.created_at - MATCH_SLACK), None)
        if owner is None:
            pending.append(entry)
        else:
            owner.changes.append(entry)
    return pending


@dataclass
class Outcomes:
    versions: list[Version]
    pending_changes: list[Change]
    chart: dict[str, Any]
    outcome_keys: list[tuple[str, str]]
    buckets: list[dict[str, Any]]
    total_calls: int
    min_answered: int = MIN_ANSWERED
    min_expected: int = MIN_EXPECTED


def assistant_outcomes(*, revox_id: str) -> Outcomes:
    """Everything the outcomes-per-change page shows, from the local call record only."""
    versions, rows = _versions(revox_id)
    configurations = dict(
        CallConfiguration.objects.filter(
            digest__in=[v.digest for v in versions if v.digest]
        ).values_list("digest", "data")
    )
    pending = _attach_changes(revox_id, versions)
    for before, version in itertools.pairwise(versions):
        version.groups = _group_changes(
            configurations.get(before.digest) or {}, configurations.get(version.digest) or {}
        )
        version.verdict, version.tone = _verdict(version, before)
    keys = _outcome_keys(versions)
    buckets = _buckets(rows, keys)
    return Outcomes(
        versions=versions,
        pending_changes=pending,
        chart=_chart(buckets, versions, keys),
        outcome_keys=[(k or "none", OUTCOME_LABELS.get(k, k)) for k in keys],
        buckets=buckets,
        total_calls=len(rows),
    )


# -- the chart: server-rendered SVG --------------------------------------------------------

WIDTH, HEIGHT = 760, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 44, 22, 28
MAX_BARS = 42


def _buckets(rows: list[tuple], keys: list[str]) -> list[dict[str, Any]]:
    dates = [r[0] for r in rows if r[0] is not None]
    if not dates:
        return []
    first, last = min(dates).date(), max(dates).date()
    span = (last - first).days + 1
    size = max(1, math.ceil(span / MAX_BARS))
    count = math.ceil(span / size)
    buckets = [
        {"start": first + timedelta(days=i * size), "days": size, "counts": dict.fromkeys(keys, 0),
         "total": 0}
        for i in range(count)
    ]  # fmt: skip
    for row in rows:
        if row[0] is None:
            continue
        bucket = buckets[min((row[0].date() - first).days // size, count - 1)]
        bucket["counts"][row[1]] = bucket["counts"].get(row[1], 0) + 1
        bucket["total"] += 1
    for bucket in buckets:
        bucket["end"] = bucket["start"] + timedelta(days=size - 1)
        bucket["cells"] = [bucket["counts"].get(k, 0) for k in keys]
    return buckets


def _chart(
    buckets: list[dict[str, Any]], versions: list[Version], keys: list[str]
) -> dict[str, Any]:
    """Stacked bars of calls by outcome per day (or per few days), a mark where each version
    began, and each version's share of answered calls that went well as a step line (right
    axis). Coordinates only: the template draws them."""
    if not buckets:
        return {}
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max(b["total"] for b in buckets) or 1
    slot = plot_w / len(buckets)
    first = datetime.combine(buckets[0]["start"], datetime.min.time())
    span_seconds = len(buckets) * buckets[0]["days"] * 86400

    def x_at(moment: datetime | None) -> float | None:
        if moment is None:
            return None
        seconds = (moment.replace(tzinfo=None) - first).total_seconds()
        return round(LEFT + max(0.0, min(1.0, seconds / span_seconds)) * plot_w, 1)

    bars = []
    for i, bucket in enumerate(buckets):
        y = TOP + plot_h
        segments = []
        for key, n in zip(keys, bucket["cells"], strict=True):
            if not n:
                continue
            h = n / top * plot_h
            y -= h
            segments.append({"key": key or "none", "y": round(y, 1), "h": round(h, 1), "n": n,
                             "label": OUTCOME_LABELS.get(key, key)})  # fmt: skip
        bars.append({"x": round(LEFT + i * slot + slot * 0.12, 1), "w": round(slot * 0.76, 1),
                     "segments": segments, "bucket": bucket})  # fmt: skip
    marks, steps = [], []
    for index, version in enumerate(versions):
        x = x_at(version.start) or LEFT
        end = versions[index + 1].start if index + 1 < len(versions) else None
        x_end = x_at(end) if end else LEFT + plot_w
        if index:
            marks.append({"x": x, "number": version.number, "explained": version.explained,
                          "tone": version.tone})  # fmt: skip
        share = _share(version.good, version.answered)
        if share is not None:
            steps.append({"x1": x, "x2": x_end, "y": round(TOP + plot_h * (1 - share), 1),
                          "number": version.number, "share": _percent(share)})  # fmt: skip
    ticks = [{"y": round(TOP + plot_h * (1 - f), 1), "calls": round(top * f), "share": f"{int(f * 100)} %"}
             for f in (0, 0.5, 1)]  # fmt: skip
    labels = [
        {"x": round(LEFT + i * slot + slot / 2, 1), "text": b["start"].strftime("%-d %b")}
        for i, b in enumerate(buckets)
        if i % max(1, len(buckets) // 6) == 0
    ]
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
        "bottom": TOP + plot_h, "bars": bars, "marks": marks, "steps": steps, "ticks": ticks,
        "labels": labels, "label_y": HEIGHT - 8,
    }  # fmt: skip

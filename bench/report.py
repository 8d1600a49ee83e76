"""The verdicts of a run: one row per target, a table for people, a JSON file for tools."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

PASS, FAIL, INFO, NOT_BUILT = "pass", "FAIL", "info", "not built yet"


@dataclass
class Row:
    measurement: str
    result: str
    target: str
    status: str


class Report:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.data: dict[str, Any] = {}

    def check(self, measurement: str, value: float, limit: float, *, result: str,
              target: str) -> bool:  # fmt: skip
        ok = value <= limit
        self.rows.append(Row(measurement, result, target, PASS if ok else FAIL))
        return ok

    def info(self, measurement: str, result: str, target: str = "report") -> None:
        self.rows.append(Row(measurement, result, target, INFO))

    def not_built(self, measurement: str, target: str, why: str) -> None:
        self.rows.append(Row(measurement, why, target, NOT_BUILT))

    @property
    def failed(self) -> list[Row]:
        return [row for row in self.rows if row.status == FAIL]

    def table(self) -> str:
        headers = Row("measurement", "result", "target", "status")
        rows = [headers, *self.rows]
        widths = [
            max(len(getattr(r, f)) for r in rows) for f in ("measurement", "result", "target")
        ]
        lines = []
        for index, row in enumerate(rows):
            cells = [row.measurement.ljust(widths[0]), row.result.ljust(widths[1]),
                     row.target.ljust(widths[2]), row.status]  # fmt: skip
            lines.append("  ".join(cells).rstrip())
            if index == 0:
                lines.append("  ".join("-" * w for w in [*widths, 6]))
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = ["| measurement | result | target | status |", "|---|---|---|---|"]
        lines += [f"| {r.measurement} | {r.result} | {r.target} | {r.status} |" for r in self.rows]
        return "\n".join(lines)

    def write(self, path: Path) -> None:
        payload = {"verdicts": [asdict(row) for row in self.rows], **self.data}
        path.write_text(json.dumps(payload, indent=2) + "\n")


def ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"

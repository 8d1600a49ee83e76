"""Injected misbehaviour (latency, error statuses, broken bodies, dropped
connections, answers cut off half-way) and the log of API requests received.

Tests and the benchmark set these through /__sandbox__/faults and read
/__sandbox__/requests; the API routes consult them on every /api request.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from sandbox.validation.engine import Errors, Field, check_fields, is_integer, is_number, join

# --- rules -----------------------------------------------------------------


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """`*` matches within one path segment, `**` across segments."""
    parts = re.split(r"(\*\*|\*)", pattern)
    translated = "".join(
        ".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part) for part in parts
    )
    return re.compile(translated)


@dataclass
class Rule:
    spec: dict[str, Any]  # as sent, shown back by GET /__sandbox__/faults
    path: re.Pattern[str] | None
    remaining: int | None  # None: fires forever
    fired: int = 0

    @property
    def method(self) -> str | None:
        method = self.spec.get("method")
        return method.upper() if isinstance(method, str) else None

    def matches(self, method: str, path: str) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.method is not None and self.method != method.upper():
            return False
        return self.path is None or self.path.fullmatch(path) is not None

    @property
    def answers(self) -> bool:
        """Whether this rule replaces the real answer (rather than only delaying it)."""
        return any(key in self.spec for key in ("status", "body", "json", "errors"))

    def describe(self) -> dict[str, Any]:
        return {**self.spec, "fired": self.fired, "remaining": self.remaining}


def _check_errors_map(value: Any, path: str, errors: Errors) -> None:
    if not isinstance(value, dict):
        errors.add(path, "must be an object of field path -> list of messages")
        return
    for key, messages in value.items():
        if isinstance(messages, str):
            continue
        if not isinstance(messages, list) or not all(isinstance(m, str) for m in messages):
            errors.add(join(path, key), "must be a string or a list of strings")


def _any(value: Any, path: str, errors: Errors) -> None:
    return None


def _check_type(kind: str, *, minimum: float = 0) -> Any:
    def check(value: Any, path: str, errors: Errors) -> None:
        if kind == "str" and not isinstance(value, str):
            errors.add(path, "must be a string")
        elif kind == "bool" and not isinstance(value, bool):
            errors.add(path, "must be a boolean")
        elif kind == "int" and (not is_integer(value) or value < minimum):
            errors.add(path, f"must be an integer >= {int(minimum)}")
        elif kind == "number" and (not is_number(value) or value < minimum):
            errors.add(path, f"must be a number >= {int(minimum)}")

    return check


def _check_status(value: Any, path: str, errors: Errors) -> None:
    # No 1xx: an interim status would leave the client waiting for the real answer.
    if not is_integer(value) or not 200 <= value <= 599:
        errors.add(path, "must be an HTTP status between 200 and 599")


def _check_path(value: Any, path: str, errors: Errors) -> None:
    if not isinstance(value, str) or not value.startswith("/"):
        errors.add(path, "must be a path starting with / (without the /api prefix)")


RULE_FIELDS: dict[str, Field] = {
    "method": Field(_check_type("str")),
    "path": Field(_check_path),
    "status": Field(_check_status),
    "retry_after": Field(_check_type("number")),
    "delay_ms": Field(_check_type("number")),
    "body": Field(_check_type("str")),
    "json": Field(_any, nullable=True),  # null is a legitimate JSON body
    "errors": Field(_check_errors_map),
    "drop": Field(_check_type("bool")),
    "cut_after_bytes": Field(_check_type("int")),
    "apply": Field(_check_type("bool")),
    "times": Field(_check_type("int", minimum=1)),
}


def _check_rule(rule: Any, path: str, errors: Errors) -> None:
    if not isinstance(rule, dict):
        errors.add(path, "must be an object")
        return
    check_fields(rule, RULE_FIELDS, path, errors)
    if "body" in rule and "json" in rule:
        errors.add(join(path, "body"), "give either body or json, not both")
    if rule.get("drop") is True and any(k in rule for k in ("status", "body", "json", "errors")):
        errors.add(join(path, "drop"), "a dropped connection has no status or body")
    if "cut_after_bytes" in rule and rule.get("drop") is True:
        errors.add(join(path, "cut_after_bytes"), "give either drop or cut_after_bytes, not both")
    does_something = any(
        k in rule for k in ("status", "body", "json", "errors", "delay_ms", "cut_after_bytes")
    ) or (rule.get("drop") is True)
    if not does_something:
        errors.add(
            path,
            "must set at least one of status, body, json, errors, delay_ms, drop, cut_after_bytes",
        )


class Faults:
    """The active fault configuration; replaced whole by each POST."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latency_ms: float = 0
        self._rules: list[Rule] = []

    def configure(self, config: Any) -> Errors:
        errors = Errors()
        if not isinstance(config, dict):
            errors.add("", "must be an object")
            return errors
        check_fields(
            config,
            {
                "latency_ms": Field(_check_type("number")),
                "rules": Field(lambda value, path, errs: _check_rules(value, path, errs)),
            },
            "",
            errors,
        )
        if errors:
            return errors
        rules = [
            Rule(
                spec=spec,
                path=glob_to_regex(spec["path"]) if "path" in spec else None,
                remaining=int(spec["times"]) if "times" in spec else None,
            )
            for spec in config.get("rules", [])
        ]
        with self._lock:
            self.latency_ms = config.get("latency_ms", 0)
            self._rules = rules
        return errors

    def clear(self) -> None:
        with self._lock:
            self.latency_ms = 0
            self._rules = []

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {"latency_ms": self.latency_ms, "rules": [r.describe() for r in self._rules]}

    def take(self, method: str, path: str) -> Rule | None:
        """The first rule matching this request, counting it as fired."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.fired += 1
                    if rule.remaining is not None:
                        rule.remaining -= 1
                    return rule
        return None


def _check_rules(value: Any, path: str, errors: Errors) -> None:
    if not isinstance(value, list):
        errors.add(path, "must be an array")
        return
    for index, rule in enumerate(value):
        _check_rule(rule, join(path, index), errors)


# --- request log -----------------------------------------------------------

# Bounded so a long benchmark cannot grow memory without limit.
MAX_LOGGED_REQUESTS = 100_000


@dataclass
class RequestLog:
    _entries: deque[dict[str, Any]] = field(
        default_factory=lambda: deque(maxlen=MAX_LOGGED_REQUESTS)
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, entry: dict[str, Any]) -> None:
        # Only method, path, status, timing and body key names: never bodies or header values.
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def monotonic_ms() -> float:
    return time.perf_counter() * 1000

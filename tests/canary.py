"""Secrets that must never leave the server: checked on every response and log line of the suite.

The whole suite runs with CANARY_API_KEY as the Revox key (the sandbox accepts it), and custom
LLM keys in tests start with CANARY_LLM_PREFIX (the demo data's custom key is checked too). The
middleware sits outermost, so it sees every answer the dashboard gives — pages, fragments, error
pages, JSON, redirects — from the test client and from the live server of the browser tests.
"""

from __future__ import annotations

import logging
import re

CANARY_API_KEY = "rvx-canary-9c1f4e7a2b8d4f6e8a0c3d5b7e9f1a2c"
CANARY_LLM_PREFIX = "sk-canary-llm-"
DEMO_LLM_KEY = "sk-demo-3f9a7c21e4b84d0c9a1e5f6b7c8d9e0f"
_PATTERN = re.compile(
    re.escape(CANARY_API_KEY) + "|" + re.escape(CANARY_LLM_PREFIX) + "|" + re.escape(DEMO_LLM_KEY)
)

violations: list[str] = []


def find(text: str) -> str | None:
    match = _PATTERN.search(text)
    return match.group(0) if match else None


class CanaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        parts = [f"{k}: {v}" for k, v in response.items()]
        if not getattr(response, "streaming", False):
            parts.append(response.content.decode("utf-8", "replace"))
        leaked = find("\n".join(parts))
        if leaked:
            violations.append(
                f"{request.method} {request.path} answered with a secret ({leaked[:16]}…)"
            )
        return response


class CanaryLogHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is not our concern here
            text = str(record.msg)
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        leaked = find(text)
        if leaked:
            violations.append(f"log {record.name}: a secret was logged ({leaked[:16]}…)")

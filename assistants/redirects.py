"""Where a form may send the browser back to: only this dashboard's own pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, candidate: str | None, *, default: str) -> str:
    """`candidate` (a `next` field) when it is a page of this site, else `default`.

    Refuses other hosts (`https://evil.example/`, `//evil.example/`, `\\\\evil.example`), other
    schemes (`javascript:`), and plain http when the request came over https.
    """
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default

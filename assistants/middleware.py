"""Cross-cutting request handling that views should not each repeat."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from assistants.cache.health import revox_key_check
from assistants.revox import RevoxAuthError, RevoxError, revox_wait
from assistants.team.roles import is_admin

NUL = "\x00"


class NulInAddressMiddleware:
    """No NUL character (U+0000, `%00`) from an address reaches a query. PostgreSQL compares no
    text holding one (a filter, a search or an id in a URL holding one became a 500 page there),
    and nothing the dashboard stores holds one (Revox's are kept as U+2400). An address whose path holds one
    names no page: 404. In the query string they are dropped, as the list's search already did:
    the filters and searches read what was meant."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path:
            raise Http404("No such page")
        if any(NUL in key or NUL in "".join(values) for key, values in request.GET.lists()):
            kept = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                kept.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
            kept._mutable = False
            request.GET = kept
        return self.get_response(request)


class ServerTimingMiddleware:
    """Each answer to a signed-in user says, in its Server-Timing header, how long it waited
    for Revox and how long the dashboard itself took (a browser's developer tools show both
    beside the request): whether Revox or the dashboard made a page slow is then plain. An
    anonymous visitor is told nothing of timings."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        with revox_wait() as wait:
            response = self.get_response(request)
        took = time.perf_counter() - started
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            calls = "1 call" if wait.calls == 1 else f"{wait.calls} calls"
            response["Server-Timing"] = (
                f'revox;dur={wait.seconds * 1000:.1f};desc="Revox ({calls})", '
                f'app;dur={(took - wait.seconds) * 1000:.1f};desc="Dashboard"'
            )
        return response


class HtmxLoginRedirectMiddleware:
    """An htmx request whose session expired gets `HX-Redirect` to the login page, so the
    browser navigates instead of swapping a login form into a table cell."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code in (301, 302)
            and response.get("Location", "").startswith(reverse(settings.LOGIN_URL))
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response


class RevoxErrorMiddleware:
    """A Revox failure no view handled becomes a plain page (or, for htmx, a toast), never a
    500. A rejected API key gets its own page; Admins are told which setting to fix."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "htmx", False):
            _messages_to_toasts(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, RevoxError):
            return None
        auth = isinstance(exception, RevoxAuthError)
        if getattr(request, "htmx", False):
            response = HttpResponse(status=200)
            response["HX-Reswap"] = "none"
            response["HX-Trigger"] = json.dumps(
                {"revox:toast": [{"level": "danger", "message": str(exception)}]}
            )
            return response
        template = "revox_auth_error.html" if auth else "revox_unavailable.html"
        context = {"error": exception, "show_setting": auth and is_admin(request.user)}
        if auth:
            # A 401/403 on one request, or a key that is no longer valid? Revox says which.
            context["key_status"] = revox_key_check()
        return render(request, template, context, status=503)


def _messages_to_toasts(request: HttpRequest, response: HttpResponse) -> None:
    """Messages added during an htmx request travel as an event, shown as toasts: once the
    answer is swapped in and settled, so that a "saved" toast never shows over a page still
    holding the old content (a 204 swaps nothing: its toasts come at once)."""
    if (response.status_code >= 300 and response.status_code != 204) or response.has_header(
        "HX-Redirect"
    ):
        return
    toasts = [
        {
            "level": m.level_tag if m.level_tag != "error" else "danger",
            "message": str(m),
            **({"sticky": True} if "sticky" in m.extra_tags.split() else {}),
        }
        for m in messages.get_messages(request)
    ]
    if not toasts:
        return
    header = "HX-Trigger" if response.status_code == 204 else "HX-Trigger-After-Settle"
    # Keep events the view already triggers there (e.g. "revox:saved").
    try:
        events = json.loads(response[header]) if response.has_header(header) else {}
    except ValueError:
        events = {name.strip(): None for name in response[header].split(",")}
    events.setdefault("revox:toast", []).extend(toasts)
    response[header] = json.dumps(events)

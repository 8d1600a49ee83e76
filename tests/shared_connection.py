"""Test-only: one request at a time while the live server's threads share one in-memory SQLite
connection.

pytest-django's live server answers each request in a thread of its own, and with an in-memory
SQLite database every one of those threads (and the browser tests' job-worker thread) uses the
same connection. Two requests that open a transaction at the same moment (a page and the htmx
request it starts on load, say) then meet inside one connection: "cannot start a transaction
within a transaction". A real deploy has a connection per thread; here the requests take turns.
With a database file or PostgreSQL nothing is held: each thread has its own connection, and
the race tests that run requests side by side stay races.
"""

from __future__ import annotations

import threading
from contextlib import nullcontext

from django.db import connections

SHARED_CONNECTION_LOCK = threading.RLock()


def one_at_a_time():
    """The lock while the default database is a shared in-memory SQLite one, else nothing."""
    connection = connections["default"]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return SHARED_CONNECTION_LOCK
    return nullcontext()


def requests_take_turns(get_response):
    def middleware(request):
        with one_at_a_time():
            return get_response(request)

    return middleware

"""Test-only: every answer names the worker process that made it, so a test can show that two
requests were served by two different gunicorn workers."""

from __future__ import annotations

import os


def served_by(get_response):
    def middleware(request):
        response = get_response(request)
        response["X-Served-By"] = str(os.getpid())
        return response

    return middleware

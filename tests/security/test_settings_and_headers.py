"""Production settings, security headers, CSP, CSRF and password storage."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from tests import canary

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY", "DEBUG"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "revox_admin.settings", **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


PRODUCTION = {
    "SECURE_SSL_REDIRECT": "true",
    "ALLOWED_HOSTS": "admin.example.com",
    "WHITENOISE_USE_FINDERS": "false",
    "DATABASE_URL": "sqlite://:memory:",
}


def test_the_deploy_check_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "x" * 50])
def test_production_refuses_a_missing_or_weak_secret_key(key):
    result = run_manage("check", SECRET_KEY=key, **PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_passwords_are_stored_with_a_slow_salted_hash():
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
                        SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] in (
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    )


@pytest.mark.django_db
def test_a_stored_password_is_never_the_password(editor):
    assert "correct horse" not in editor.password and editor.password.count("$") >= 2


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(synced, viewer_client):
    response = viewer_client.get("/assistants/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert "'nonce-" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    page = response.content.decode()
    assert '"allowEval": false' in page  # htmx never evaluates strings
    nonce = directives["script-src"].split("'nonce-")[1].split("'")[0]
    assert page.count("<script") == page.count(f'nonce="{nonce}"')  # every script is ours


@pytest.mark.django_db
def test_security_headers(viewer_client):
    response = viewer_client.get("/assistants/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_csrf_is_enforced_on_unsafe_requests_htmx_included(synced, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/assistants/")
    token = page.context["csrf_token"]
    assert client.post("/assistants/refresh/").status_code == 403
    assert client.post("/assistants/refresh/", HTTP_HX_REQUEST="true").status_code == 403
    # htmx sends the token in a header, taken from <body hx-headers=…>.
    assert f'hx-headers=\'{{"x-csrftoken": "{token}"}}\'' in page.content.decode()
    ok = client.post("/assistants/refresh/", HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=str(token))
    assert ok.status_code == 200


def test_the_canary_catches_a_leak_in_a_response_and_in_a_log_line():
    import logging

    from django.http import HttpResponse

    canary.violations.clear()
    middleware = canary.CanaryMiddleware(
        lambda request: HttpResponse(f"key={canary.CANARY_API_KEY}")
    )
    middleware(RequestFactory().get("/leaky/"))
    handler = canary.CanaryLogHandler()
    handler.emit(
        logging.LogRecord(
            "x", logging.INFO, __file__, 1, "api_key=%s", (canary.CANARY_LLM_PREFIX + "abc",), None
        )
    )
    found, canary.violations[:] = list(canary.violations), []
    assert len(found) == 2 and "/leaky/" in found[0]

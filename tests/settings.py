"""Test settings: production settings with what tests need changed, and nothing else."""

import os

os.environ.setdefault("SECRET_KEY", "tests-" + "x" * 60)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from revox_admin.settings import *
from tests.canary import CANARY_API_KEY

# Hashing is tested against the production setting in tests/test_security.py; here it only
# slows every login down.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REVOX_BACKOFF_BASE = 0.0
REVOX_BACKOFF_MAX = 0.0
REVOX_CONNECT_TIMEOUT = 2.0
REVOX_READ_TIMEOUT = 5.0
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True

# The Revox key is a canary: tests/canary.py fails any test whose responses or logs carry it.
REVOX_API_KEY = CANARY_API_KEY
# Never the Revox a developer's environment or .env names (the real one, or the sandbox `make
# run` keeps running beside the tests, whose demo data the tests would then read and write with
# a key it refuses): the sandbox a test harness started (TEST_REVOX_API_URL: the servers of
# tests/jobs/ and tests/multiworker/), or else a port nothing listens on, so that a test which
# did not point the dashboard at a sandbox of its own (the `revox` fixture) is refused at once.
REVOX_API_URL = os.environ.get("TEST_REVOX_API_URL", "http://127.0.0.1:1/api")
MIDDLEWARE = [
    "tests.shared_connection.requests_take_turns",
    "tests.canary.CanaryMiddleware",
    *MIDDLEWARE,
]
LOGGING["handlers"]["canary"] = {"class": "tests.canary.CanaryLogHandler", "level": "DEBUG"}
LOGGING["root"] = {"handlers": ["console", "canary"], "level": "DEBUG"}
LOGGING["handlers"]["console"]["level"] = "WARNING"
LOGGING["loggers"]["assistants"] = {"level": "DEBUG"}
# In-process runs: each item result is the heartbeat (a thread would need a connection of its own).
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "0"))

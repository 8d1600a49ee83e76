"""Settings of the gunicorn workers that tests/multiworker/ starts: the test settings (the canary
key included), with each answer naming its worker, and production's password hashing, so that a
failed sign-in takes as long as it would in production (the users the tests make with the fast
test hasher still sign in)."""

from django.conf import global_settings

from tests.settings import *

MIDDLEWARE = ["tests.multiworker.middleware.served_by", *MIDDLEWARE]
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, *PASSWORD_HASHERS]

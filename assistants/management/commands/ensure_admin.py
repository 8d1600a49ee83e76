"""Used by `make run`: make sure someone can sign in on a fresh machine."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the superuser named by DJANGO_SUPERUSER_USERNAME / DJANGO_SUPERUSER_PASSWORD, "
        "or, when they are not both set, an 'admin' account with a generated password."
    )

    def handle(self, *args, **options) -> None:
        users = get_user_model().objects
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if username and password:
            user, created = users.get_or_create(username=username)
            if created or not user.check_password(password):
                user.set_password(password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
            self.stdout.write(f"Superuser '{username}' is ready (password from the environment).")
            return
        if users.filter(username="admin").exists():
            self.stdout.write("Sign in as 'admin' with the password printed on the first run.")
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser(
            "admin", email="admin@example.com", password=password, first_name="Admin"
        )
        line = "=" * 64
        url = os.environ.get("REVOX_ADMIN_URL", "http://127.0.0.1:8000")
        self.stdout.write(
            f"\n{line}\n  Sign in at {url} as  admin / {password}\n"
            f"  (shown once; change it under your name, top right)\n{line}\n"
        )

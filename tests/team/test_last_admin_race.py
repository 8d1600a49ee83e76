"""Two Admins removing each other at the same instant leave one active Admin.

Each request runs in its own thread with its own database connection (a real race on SQLite and
on PostgreSQL, `--database postgres`). To make the race certain rather than lucky, each request
pauses right after counting the Admins until the other has counted too (or for at most two
seconds): without a lock both count two Admins and both go through; with it the second waits
for the first to commit, so it counts one and is refused.

On SQLite the race runs on a database file: the in-memory test database is opened in shared-cache
mode, where a second writer fails at once ("table is locked") instead of waiting its turn as it
does on a file, which is what the dashboard uses.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from assistants.team import services
from assistants.team.roles import ADMIN, user_role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


class Database:
    """Runs code in threads of their own, each with its own connection to one database."""

    def __init__(self, sqlite_file: str | None) -> None:
        self.sqlite_file = sqlite_file

    def _connect_here(self) -> None:
        if self.sqlite_file:
            wrapper = connections["default"]
            wrapper.settings_dict = {**wrapper.settings_dict, "NAME": self.sqlite_file}

    def at_once(self, *calls: Callable[[], Any]) -> list[Any]:
        results: list[Any] = [None] * len(calls)

        def run(i: int, call: Callable[[], Any]) -> None:
            self._connect_here()
            try:
                results[i] = call()
            except BaseException as err:  # handed to the test
                results[i] = err
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        return results

    def run(self, call: Callable[[], Any]) -> Any:
        (result,) = self.at_once(call)
        if isinstance(result, BaseException):
            raise result
        return result


@pytest.fixture
def database(transactional_db, tmp_path) -> Database:
    sqlite_file = str(tmp_path / "race.sqlite3") if connection.vendor == "sqlite" else None
    db = Database(sqlite_file)
    if sqlite_file:
        db.run(lambda: call_command("migrate", verbosity=0))
    return db


@pytest.fixture
def counting_pauses(monkeypatch):
    barrier = threading.Barrier(2, timeout=2)
    count = services._active_admin_count

    def count_then_wait_for_the_other() -> int:
        n = count()
        # Broken after two seconds when the other request waits on the lock: go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return n

    monkeypatch.setattr(services, "_active_admin_count", count_then_wait_for_the_other)


def _post_as(
    user, url: str, data: dict, *, start: threading.Barrier | None = None
) -> Callable[[], int]:
    """A POST by `user`, signed in first; with `start`, sent only once every request sharing it
    is signed in too, so that the requests really overlap (on a loaded machine, one thread's
    sign-in could outlast the other's whole request, which then rightly found itself demoted)."""

    def post() -> int:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if start is not None:
            start.wait()
        return client.post(url, data).status_code

    return post


def _active_admins() -> list[str]:
    users = get_user_model().objects.filter(is_active=True)
    return sorted(u.username for u in users if user_role(u) == ADMIN)


@pytest.mark.parametrize(
    ("action", "ada_sends", "bob_sends"),
    [
        pytest.param("active", {"active": "0"}, {"active": "0"}, id="deactivating"),
        pytest.param("role", {"role": "Viewer"}, {"role": "Editor"}, id="demoting"),
    ],
)
def test_two_admins_removing_each_other_at_once_leave_one(
    database, counting_pauses, action, ada_sends, bob_sends
):
    ada, bob = database.run(lambda: (make_user("ada", "Admin"), make_user("bob", "Admin")))
    start = threading.Barrier(2, timeout=30)
    statuses = database.at_once(
        _post_as(ada, f"/team/{bob.pk}/{action}/", ada_sends, start=start),
        _post_as(bob, f"/team/{ada.pk}/{action}/", bob_sends, start=start),
    )
    assert statuses == [302, 302]
    assert len(database.run(_active_admins)) == 1


def test_an_admin_removed_meanwhile_changes_nothing(database):
    """The loser of the race acts after losing the role: refused, said plainly."""
    ada, bob, vera = database.run(
        lambda: (make_user("ada", "Admin"), make_user("bob", "Admin"), make_user("vera", "Viewer"))
    )
    database.run(_post_as(ada, f"/team/{bob.pk}/role/", {"role": "Editor"}))

    def bob_tries() -> None:
        # bob's page was loaded while he was an Admin; the service checks again.
        services.member_set_active(actor=bob, member=vera, active=False)

    error = database.at_once(bob_tries)[0]
    assert isinstance(error, services.TeamError)
    assert str(error) == services.NO_LONGER_ADMIN_MESSAGE
    assert database.run(lambda: get_user_model().objects.get(pk=vera.pk).is_active)

"""A throwaway PostgreSQL server for the tests and the benchmark.

`start_postgres()` runs initdb in a new temporary folder and starts the server on 127.0.0.1 on
a free port (its unix socket stays inside that folder), with trust authentication for one
superuser, and creates one empty database. `stop()` shuts it down and deletes the folder; the
caller also hands the process to a watchdog (processes.start_watchdog) so that a killed parent
leaves nothing running.

initdb and postgres refuse to run as root. When we are root the server runs as Debian's
`postgres` user (the package creates it), and the folder is given to that user.

The binaries: $POSTGRES_BINDIR, else the newest /usr/lib/postgresql/<version>/bin (Debian's
layout), else initdb on the PATH.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.localservers.processes import Process, StartupError, free_port, spawn

SUPERUSER = "revox"
DATABASE = "revox"
READY = re.compile(r"ready to accept connections|(could not bind|FATAL|PANIC)")
# Settings for a cluster that lives as long as a test run: no fsync (a crash loses nothing
# worth keeping). The benchmark keeps the defaults, so its commits cost what they would in
# production.
THROWAWAY = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
COMMON = {
    "listen_addresses": "127.0.0.1",
    "max_connections": "100",
    "shared_buffers": "128MB",
    # The benchmark and the tests share two cores with other work: no parallel workers.
    "max_parallel_workers_per_gather": "0",
}


def find_bindir() -> Path:
    configured = os.environ.get("POSTGRES_BINDIR")
    candidates = [Path(configured)] if configured else []

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "postgres").exists():
            return bindir
    raise StartupError(
        "PostgreSQL is not installed: `make test` installs Debian's postgresql package "
        "(apt-get install postgresql), or set POSTGRES_BINDIR to the folder holding initdb."
    )


def _unprivileged_user() -> tuple[int, int] | None:
    """(uid, gid) to run the server as, or None to run it as ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(os.environ.get("POSTGRES_RUN_AS", "postgres"))
    except KeyError as err:
        raise StartupError(
            "We are root and PostgreSQL refuses to run as root, but there is no `postgres` "
            "user (Debian's postgresql package creates it; or set POSTGRES_RUN_AS)."
        ) from err
    return entry.pw_uid, entry.pw_gid


@dataclass
class Postgres:
    process: Process
    root: Path
    port: int
    database: str = DATABASE
    user: str = SUPERUSER

    @property
    def url(self) -> str:
        """A DATABASE_URL for the settings (django-environ's form)."""
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def connect(self, database: str | None = None):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname=database or self.database,
            autocommit=True, connect_timeout=10,
        )  # fmt: skip

    def stop(self) -> None:
        # SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
        self.process.stop(grace=15)
        shutil.rmtree(self.root, ignore_errors=True)


def start_postgres(*, durable: bool = False, database: str = DATABASE) -> Postgres:
    """A fresh cluster with `database` created in it. `durable`: keep PostgreSQL's own fsync and
    commit settings (the benchmark); otherwise they are off, for speed."""
    bindir = find_bindir()
    owner = _unprivileged_user()
    root = Path(tempfile.mkdtemp(prefix="revox-pg-"))
    try:
        if owner:
            os.chown(root, *owner)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8",
               "LANG": "C.UTF-8", "TZ": "UTC"}  # fmt: skip
        as_user = {"user": owner[0], "group": owner[1], "extra_groups": []} if owner else {}
        initdb = subprocess.run(
            [str(bindir / "initdb"), "-D", str(root / "data"), "--auth=trust",
             f"--username={SUPERUSER}", "--encoding=UTF8", "--locale=C.UTF-8",
             *([] if durable else ["--no-sync"])],
            cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
            **as_user,
        )  # fmt: skip
        if initdb.returncode != 0:
            raise StartupError(f"initdb failed:\n{(initdb.stdout + initdb.stderr)[-2000:]}")
        settings = {
            **COMMON,
            **({} if durable else THROWAWAY),
            "unix_socket_directories": str(root),
        }
        for _attempt in range(5):
            server = _start_server(bindir, root, env, owner, settings)
            if server is not None:
                break
        else:
            raise StartupError("PostgreSQL found no free port on 127.0.0.1 in 5 tries")
        try:
            with server.connect("postgres") as connection:
                connection.execute(f'CREATE DATABASE "{database}"')
        except BaseException:
            server.stop()
            raise
        server.database = database
        return server
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _start_server(bindir: Path, root: Path, env: dict[str, str], owner: tuple[int, int] | None,
                  settings: dict[str, str]) -> Postgres | None:  # fmt: skip
    """The server on a free port; None when that port was taken meanwhile (try another)."""
    port = free_port()
    options = [arg for key, value in {**settings, "port": str(port)}.items()
               for arg in ("-c", f"{key}={value}")]  # fmt: skip
    process = spawn(
        "postgres", [str(bindir / "postgres"), "-D", str(root / "data"), *options],
        env=env, workdir=root, cwd=root, user=owner, stop_signal=signal.SIGINT,
    )  # fmt: skip
    match = process.wait_for_line(READY, timeout=60, what="PostgreSQL", keep_draining=False)
    if match.group(1):
        # A failure line: let the server finish its sentence, then stop it.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(timeout=5)
        tail = process.log_tail()
        process.stop()
        if "could not bind" in tail or "in use" in tail:
            return None
        raise StartupError(f"PostgreSQL did not start:\n{tail}")
    process.drain()
    return Postgres(process=process, root=root, port=port)

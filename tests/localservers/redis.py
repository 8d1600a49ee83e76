"""A throwaway Redis server for the tests and the benchmark: Debian's redis-server on 127.0.0.1
on a free port, nothing saved to disk, its folder deleted on stop()."""

from __future__ import annotations

import re
import shutil
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.localservers.processes import Process, StartupError, free_port, spawn

READY = re.compile(r"Ready to accept connections|(Address already in use|Could not create)")


def find_redis_server() -> str:
    found = shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if Path(p).exists()), None
    )
    if not found:
        raise StartupError(
            "redis-server is not installed: `make test` installs Debian's redis-server package "
            "(apt-get install redis-server)."
        )
    return found


@dataclass
class Redis:
    process: Process
    root: Path
    port: int

    @property
    def url(self) -> str:
        """A CACHE_URL for the settings (Django's RedisCache, database 0)."""
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def start_redis() -> Redis:
    binary = find_redis_server()
    root = Path(tempfile.mkdtemp(prefix="revox-redis-"))
    try:
        for _attempt in range(5):
            port = free_port()
            process = spawn(
                "redis",
                [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                 "--appendonly", "no", "--dir", str(root), "--daemonize", "no"],
                env={"PATH": "/usr/bin:/bin"}, workdir=root, cwd=root,
                stop_signal=signal.SIGTERM,
            )  # fmt: skip
            match = process.wait_for_line(READY, timeout=30, what="Redis", keep_draining=False)
            if not match.group(1):
                process.drain()
                return Redis(process=process, root=root, port=port)
            tail = process.log_tail()
            process.stop()
            if "already in use" not in tail:
                raise StartupError(f"Redis did not start:\n{tail}")
        raise StartupError("Redis found no free port on 127.0.0.1 in 5 tries")
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise

"""Command line: python -m sandbox [--host H] [--port P] [--api-key K] [--data FILE]
[--seed demo|empty] [--calls-per-assistant N] [--latency-ms N] [--ttl SECONDS]

Serves until SIGINT/SIGTERM (or --ttl seconds), then exits 0.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from sandbox.app import DEFAULT_API_KEY, build_app
from sandbox.server import base_url, make_server


class _Stop(BaseException):
    """Raised in the main thread by the signal handler to leave serve_forever.

    A BaseException, like KeyboardInterrupt: socketserver catches `Exception`
    around request dispatch and would otherwise log it and keep serving.
    """


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox", description="A local stand-in for the Revox API."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=4010, help="0 picks a free port (printed on start)"
    )
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument(
        "--data", default=None, help="SQLite file holding the state (default: memory)"
    )
    parser.add_argument(
        "--seed",
        choices=["demo", "empty"],
        default="empty",
        help="initial state; ignored when --data names a file that already holds state",
    )
    parser.add_argument(
        "--calls-per-assistant",
        type=int,
        default=None,
        help="past calls per assistant in the seeded call history (default: the demo's own)",
    )
    parser.add_argument("--latency-ms", type=float, default=0, help="added to every /api request")
    parser.add_argument(
        "--ttl", type=float, default=None, help="exit by itself after this many seconds"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.calls_per_assistant is not None and args.calls_per_assistant < 0:
        print("--calls-per-assistant must be 0 or more", file=sys.stderr)
        return 2
    app = build_app(
        seed=args.seed,
        api_key=args.api_key,
        latency_ms=args.latency_ms,
        data=args.data,
        calls_per_assistant=args.calls_per_assistant,
    )
    try:
        server = make_server(args.host, args.port, app)
    except OSError as exc:
        app.close()
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if args.ttl is not None:
        # shutdown() must run off the serving thread, and a timer thread is that.
        timer = threading.Timer(args.ttl, server.shutdown)
        timer.daemon = True
        timer.start()
    try:
        print(f"Revox sandbox on {base_url(server)}/api  key: {args.api_key}", flush=True)
        server.serve_forever(poll_interval=0.2)
    except _Stop:
        pass
    finally:
        server.server_close()
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

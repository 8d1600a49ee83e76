"""Servers that the tests and the benchmark start for themselves, as processes of their own, on
127.0.0.1 only, stopped at the end (and by a watchdog when the parent dies): the sandbox,
gunicorn, PostgreSQL and Redis. Development tooling: the dashboard itself never imports this."""

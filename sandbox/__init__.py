"""A local stand-in for the Revox REST API.

Stateful, strict about its input, and able to misbehave on request, so the
dashboard can be developed, demonstrated, tested and benchmarked without a
Revox key or network access. Standard library only.

Run it with ``python -m sandbox``; start it inside a test with
``sandbox.server.start_in_thread()``.
"""

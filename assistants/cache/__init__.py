"""The local copy of Revox: the cache of assistants, FAQ items and voices, how it is kept in step
with Revox (sync, shared claims across workers), searched, and checked (health); and what Revox
cannot hold: the AI's drafts a save had to blank (drafts.py).

May import: the models, snapshot, the FAQ rules, the Revox client and history's diff. Never a view, a form or
an editor."""

"""The local copy of Revox: the cache of assistants, FAQ items and voices, how it is kept in step
with Revox (sync, shared claims across workers), searched, and checked (health); and what Revox
cannot hold: the AI's drafts a save had to blank (drafts.py).

May import: the models, snapshot, the FAQ rules, the field registry (fields.py), the history's
entries (history_entries.py), the Revox client. Never a view, a form or an editor."""

# Its floor (assistants/__init__.py): it imports only the floors below: the models, snapshot,
# the FAQ rules, fields, history_entries, the Revox client.
LAYER = 3

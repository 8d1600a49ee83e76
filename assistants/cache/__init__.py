"""The local copy of Revox: the cache of assistants, FAQ items and voices, how it is kept in step
with Revox (sync, shared claims across workers), searched, and checked (health).

May import: the models, snapshot, the field registry (fields.py), the history's entries
(history_entries.py), the Revox client. Never a view, a form or an editor."""

# What this part may import of the app (tests/test_layers.py holds it to that).
MAY_IMPORT = (
    "assistants.models",
    "assistants.snapshot",
    "assistants.fields",
    "assistants.history_entries",
    "assistants.revox",
)

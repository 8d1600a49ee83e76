"""SQLite: the FTS5 index of new assistants filled by one statement per sync batch.

The insert trigger of migration 0003 indexes each assistant as it is inserted. Into an empty
cache, that per-row path cost 2.1 s of SQLite's CPU for 10,000 assistants, where one
`INSERT INTO assistants_search … SELECT` over the same rows, per batch of 500, costs 0.8 s
(bench/sync_probe.py, issue 25). The trigger now stands aside while the one-row table
`assistants_search_paused` says so: the sync sets it, inserts a batch, indexes the batch and
clears it again, all in the batch's transaction, so no other connection ever sees it set (and a
rollback clears it with the rest). Every other insert is indexed by the trigger, as before.
"""

from django.db import migrations

CREATE = [
    "CREATE TABLE assistants_search_paused (paused INTEGER NOT NULL)",
    "INSERT INTO assistants_search_paused (paused) VALUES (0)",
    "DROP TRIGGER assistants_search_ai",
    "CREATE TRIGGER assistants_search_ai AFTER INSERT ON assistants_assistant"
    " WHEN (SELECT paused FROM assistants_search_paused) = 0 BEGIN"
    " INSERT INTO assistants_search(rowid, search_text) VALUES (new.id, new.search_text); END",
]
DROP = [
    "DROP TRIGGER assistants_search_ai",
    "CREATE TRIGGER assistants_search_ai AFTER INSERT ON assistants_assistant BEGIN"
    " INSERT INTO assistants_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "DROP TABLE assistants_search_paused",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("assistants", "0012_lease_unlogged")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]

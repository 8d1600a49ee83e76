"""On PostgreSQL the claims table is UNLOGGED: taking a claim no longer waits for a WAL flush.

A group save takes its assistant's claim (assistants/cache/leases.py) before it reads Revox:
one INSERT, a transaction of its own, which on a logged table waits for the write-ahead log to
reach the disk (a fsync, 1-8 ms on the bench's machine) for a row that lives a few hundred
milliseconds. A transaction that writes only unlogged tables commits without that wait.

What UNLOGGED gives up is a claim surviving a crash of the database server: after one, the
table is empty. A claim is coordination between running workers, and a crash ends every
worker's connection (a save under way fails at its next query, before or after its PATCH as
it would with a logged table); a claim that survived it would only keep the next save waiting
until it expired. Other databases have no such table kind: SQLite is untouched.
"""

from django.db import migrations


def _alter(logged: bool):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("assistants", "Lease")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET {'LOGGED' if logged else 'UNLOGGED'}")

    return apply


class Migration(migrations.Migration):
    dependencies = [("assistants", "0011_mask_llm_keys")]

    operations = [migrations.RunPython(_alter(logged=False), _alter(logged=True))]

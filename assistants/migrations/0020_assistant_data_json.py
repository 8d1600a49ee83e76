"""PostgreSQL: an assistant's cached configuration stored as `json` rather than `jsonb`
(models.JSONDocumentField): the dashboard only stores and reads it whole, and jsonb parsed
each 11 kB document into a tree on every write and printed it back on every read, ~12 % of
the server's time in a sync into an empty cache. Rewrites the table once. Nothing changes on
other databases (the column is text there either way), so SQLite's table, and the triggers
that keep its search indexes, are left as they are."""

from django.db import migrations

import assistants.models


def _retype(schema_editor, to: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # A new type resets the column's compression to the server's default: keep the one set
    # (lz4 since migration 0004, where the server has it), in the same statement, so that the
    # rewrite already uses it.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT attcompression FROM pg_attribute"
            " WHERE attrelid = 'assistants_assistant'::regclass AND attname = 'data'"
        )
        (method,) = cursor.fetchone()
    keep = {"l": "lz4", "p": "pglz"}.get(method)
    schema_editor.execute(
        f"ALTER TABLE assistants_assistant ALTER COLUMN data TYPE {to} USING data::{to}"
        + (f", ALTER COLUMN data SET COMPRESSION {keep}" if keep else "")
    )


def forwards(apps, schema_editor):
    _retype(schema_editor, "json")


def backwards(apps, schema_editor):
    _retype(schema_editor, "jsonb")


class Migration(migrations.Migration):
    dependencies = [("assistants", "0019_search_vector_lz4")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="assistant",
                    name="data",
                    field=assistants.models.JSONDocumentField(),
                )
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]

"""PostgreSQL: the search words' tsvector compressed with lz4, as the other large columns are
(migration 0004), instead of the server's default, pglz.

Migration 0004 set lz4 on `data`, `search_text` and `search_words` but not on the generated
`search_vector` it added, whose ~3 kB per assistant pglz compressed on every write: pglz was
2.4 % of the server's time in a sync of 10,000 assistants into an empty cache (perf), and lz4
compresses the same in a fraction of that. Rows already stored keep their compression until
rewritten. Nothing on other databases, nor where the server lacks lz4."""

from django.db import migrations


def _set(schema_editor, method: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        lz4 = cursor.fetchone()
        if lz4 and lz4[0]:
            cursor.execute(
                f"ALTER TABLE assistants_assistant ALTER COLUMN search_vector SET COMPRESSION {method}"
            )


def forwards(apps, schema_editor):
    _set(schema_editor, "lz4")


def backwards(apps, schema_editor):
    _set(schema_editor, "DEFAULT")


class Migration(migrations.Migration):
    dependencies = [("assistants", "0018_faq_pending_index")]

    operations = [migrations.RunPython(forwards, backwards)]

"""Search on PostgreSQL as on SQLite's FTS5 index (migration 0003): prompt and FAQ words match by
prefix, accents ignored, through an index instead of a LIKE over every prompt.

- `search_words`: the distinct words of `search_text`, split and folded the way FTS5 does it
  (assistants/cache/search.py), filled on PostgreSQL only; SQLite's FTS5 tokenizes `search_text`
  itself and leaves it NULL (a nullable column, so that SQLite adds it in place instead of
  rebuilding the table, which would drop migration 0003's triggers).
- On PostgreSQL, `search_vector`, a stored generated column: those words as a `tsvector` (no
  parser, no stemming: exactly the stored words), under a GIN index. PostgreSQL keeps it current
  on every insert and update, as SQLite's triggers do; Django's model does not list it.
- On PostgreSQL, a trigram index (pg_trgm) on the upper-cased name, for "names match anywhere"
  (`icontains` is `UPPER(name) LIKE UPPER('%…%')`, which that index answers).
- On PostgreSQL, the large text columns are compressed with lz4 where the server has it: pglz
  took a third of the server's time when a sync wrote 2,000 assistants (bench/, issue 13).

`CREATE EXTENSION pg_trgm` needs rights: a superuser, or (PostgreSQL 13 and later, where it is
a "trusted" extension) the owner of the database; README, "Deploy", says so. On other databases
nothing but the new, empty column.
"""

from django.db import migrations, models

from assistants.cache.search import document_words

LARGE_COLUMNS = ("data", "search_text", "search_words")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # Schema-qualified: what an index uses must not depend on the search_path.
        cursor.execute(
            "SELECT quote_ident(n.nspname) FROM pg_extension e"
            " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        )
        trgm_schema = cursor.fetchone()[0]
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        lz4 = cursor.fetchone()
        if lz4 and lz4[0]:
            cursor.execute(
                "ALTER TABLE assistants_assistant "
                + ", ".join(f"ALTER COLUMN {name} SET COMPRESSION lz4" for name in LARGE_COLUMNS)
            )
        cursor.execute(
            "ALTER TABLE assistants_assistant ADD COLUMN search_vector tsvector"
            " GENERATED ALWAYS AS (array_to_tsvector(string_to_array(search_words, ' '))) STORED"
        )
        cursor.execute(
            "CREATE INDEX assistants_search_vector ON assistants_assistant USING gin (search_vector)"
        )
        cursor.execute(
            "CREATE INDEX assistants_name_trigrams ON assistants_assistant"
            f" USING gin (upper(name) {trgm_schema}.gin_trgm_ops)"
        )
    # The assistants already cached get their words now, not at their next change.
    Assistant = apps.get_model("assistants", "Assistant")
    rows = Assistant.objects.only("pk", "search_text").order_by("pk").iterator(chunk_size=500)
    batch = []
    for row in rows:
        row.search_words = document_words(row.search_text)
        batch.append(row)
        if len(batch) == 500:
            Assistant.objects.bulk_update(batch, ["search_words"])
            batch = []
    Assistant.objects.bulk_update(batch, ["search_words"])


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # The extension stays: something else in the database may use it.
        cursor.execute("DROP INDEX IF EXISTS assistants_name_trigrams")
        cursor.execute("DROP INDEX IF EXISTS assistants_search_vector")
        cursor.execute("ALTER TABLE assistants_assistant DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("assistants", "0003_search_index")]

    operations = [
        migrations.AddField(
            model_name="assistant",
            name="search_words",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.RunPython(create, drop),
    ]

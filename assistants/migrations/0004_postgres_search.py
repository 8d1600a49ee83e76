"""Search on PostgreSQL as on SQLite's FTS5 index (migration 0003): prompt and FAQ words match by
prefix, accents ignored, through an index instead of a LIKE over every prompt.

- `search_vector`, a stored generated column: the words of `search_text` (already lower-cased),
  accents removed by `unaccent`, split where FTS5's unicode61 tokenizer splits (anything not a
  letter or a digit), as a `tsvector` with no stemming (the `simple` configuration), under a GIN
  index. PostgreSQL computes it on every insert and update, as SQLite's triggers do, so no code
  that writes assistants needs to know about it; Django's model does not list it.
- a trigram index (pg_trgm) on the upper-cased name, for "names match anywhere" (`icontains`
  becomes `UPPER(name) LIKE UPPER('%…%')`, which that index answers).
- `assistants_search_query(text)`: the same splitting for what the user typed, every word a
  prefix, all of them required.

Only the first 200,000 characters of an assistant's text are indexed: a tsvector holds at most
1 MB of distinct words, and one enormous FAQ must not make its assistant fail to sync.

`CREATE EXTENSION` needs rights: a superuser, or (PostgreSQL 13 and later, where both are
"trusted" extensions) the owner of the database. README, "Deploy", says so. Other databases:
nothing happens.
"""

from django.db import migrations

INDEXED_CHARACTERS = 200_000


def on_postgresql(statements):
    """A RunPython function that runs `statements(cursor)` on PostgreSQL, and nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                statements(cursor)

    return run


@on_postgresql
def create(cursor):
    cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Every name is schema-qualified (an existing install may keep the extensions outside
    # `public`): what an index and a generated column call must not depend on search_path.
    schema = _extension_schema(cursor, "unaccent")
    trgm_schema = _extension_schema(cursor, "pg_trgm")
    cursor.execute("SELECT quote_ident(current_schema())")
    here = cursor.fetchone()[0]
    # unaccent() is only STABLE (its rules file could change); declaring the wrapper
    # IMMUTABLE is what lets a generated column and an index use it, and is the documented
    # way to do so.
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {here}.assistants_search_words(text) RETURNS text"
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$"
        f" SELECT left(regexp_replace({schema}.unaccent('{schema}.unaccent'::regdictionary, $1),"
        f" '[^[:alnum:]]+', ' ', 'g'), {INDEXED_CHARACTERS}) $$"
    )
    # Names from the catalogue, through quote_ident: nothing here comes from a user.
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {here}.assistants_search_query(text) RETURNS tsquery"  # noqa: S608
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$"
        " SELECT coalesce(to_tsquery('pg_catalog.simple',"
        "   string_agg(quote_literal(word) || ':*', ' & ')), ''::tsquery)"
        f" FROM regexp_split_to_table(btrim({here}.assistants_search_words($1)), ' ') AS word"
        " WHERE word <> '' $$"
    )
    cursor.execute(
        "ALTER TABLE assistants_assistant ADD COLUMN search_vector tsvector"
        " GENERATED ALWAYS AS (to_tsvector('pg_catalog.simple',"
        f" {here}.assistants_search_words(search_text))) STORED"
    )
    cursor.execute(
        "CREATE INDEX assistants_search_vector ON assistants_assistant USING gin (search_vector)"
    )
    cursor.execute(
        "CREATE INDEX assistants_name_trigrams ON assistants_assistant"
        f" USING gin (upper(name) {trgm_schema}.gin_trgm_ops)"
    )


def _extension_schema(cursor, name: str) -> str:
    cursor.execute(
        "SELECT quote_ident(n.nspname) FROM pg_extension e"
        " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = %s",
        [name],
    )
    return cursor.fetchone()[0]


@on_postgresql
def drop(cursor):
    # The extensions stay: something else in the database may use them.
    cursor.execute("DROP INDEX IF EXISTS assistants_name_trigrams")
    cursor.execute("DROP INDEX IF EXISTS assistants_search_vector")
    cursor.execute("ALTER TABLE assistants_assistant DROP COLUMN IF EXISTS search_vector")
    cursor.execute("DROP FUNCTION IF EXISTS assistants_search_query(text)")
    cursor.execute("DROP FUNCTION IF EXISTS assistants_search_words(text)")


class Migration(migrations.Migration):
    dependencies = [("assistants", "0003_search_index")]

    operations = [migrations.RunPython(create, drop)]

"""PostgreSQL: an assistant's row in the table holds its list columns, its large texts stored
beside it (TOAST), so that a search visits fewer pages of the table.

A search's matches come from the GIN indexes as row addresses; to order them by name and read
their ids PostgreSQL visits each one's page of the table. PostgreSQL moves a row's large values
out of it only until the row fits in ~2 KB, so `search_words` (~1.2 KB, the words the tsvector
is built from, read by nothing else) stayed in every row, five rows to a page: at 50,000
assistants a search matching 4,167 visited 4,167 pages. With rows kept under 512 bytes it goes
beside them too, ~22 rows to a page: 2,319 pages, and the search's statement 9.4-10.5 ms ->
6.7-7.1 ms (bench/, issue 25). The list columns (~300 bytes) stay in the row.

Rows take the new layout as they are written: a sync into an empty cache writes them all, a
later sync each assistant that changed.
"""

from django.db import migrations


def lean(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE assistants_assistant SET (toast_tuple_target = 512)")


def as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE assistants_assistant RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("assistants", "0016_search_name_trigrams")]

    operations = [migrations.RunPython(lean, as_before)]

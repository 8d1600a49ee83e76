"""An index that lets a sync compare each listed assistant with the cache without reading its
row (on SQLite the compared columns sit after the large ones, behind their overflow pages: an
unchanged sync of 2,000 read ~25 MB to compare 2,000 time stamps; bench/, issue 25).

PostgreSQL: price a random read of a page as what it is for this database, in memory or on an
SSD (random_page_cost 1.1 instead of the spinning-disk default 4.0), so that a search reads the
GIN index rather than the whole table.

At 2,000 assistants, even with the GIN index's pending list merged (cache/search.py,
search_index_tidy), the planner priced the index's 167 heap pages at 4.0 each against a
sequential scan of 400 pages, and chose the scan (cost 448 vs 472) — not knowing that the scan
also detoasts every row's tsvector (5,500 more pages: 11 ms against 0.7 ms for the index).

Setting it needs the database's owner (or a superuser), as does `migrate` already on a fresh
database (README, "Deploy"); otherwise this step only says what an administrator should run.
Nothing on SQLite.
"""

import logging

from django.db import DatabaseError, migrations, models, transaction

logger = logging.getLogger(__name__)

RANDOM_PAGE_COST = "1.1"


def _set(schema_editor, value: str | None) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_database())")
        database = cursor.fetchone()[0]
        setting = "RESET random_page_cost" if value is None else f"SET random_page_cost = {value}"
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute(f"ALTER DATABASE {database} {setting}")
        except DatabaseError as err:
            logger.warning(
                "Could not set random_page_cost (%s); searches may scan the whole table. "
                "Have the database owner run: ALTER DATABASE %s SET random_page_cost = %s;",
                err,
                database,
                RANDOM_PAGE_COST,
            )


def forwards(apps, schema_editor):
    _set(schema_editor, RANDOM_PAGE_COST)


def backwards(apps, schema_editor):
    _set(schema_editor, None)


class Migration(migrations.Migration):
    dependencies = [("assistants", "0009_search_model_voice")]

    operations = [
        migrations.AddIndex(
            model_name="assistant",
            index=models.Index(
                fields=["revox_id", "remote_updated_at", "synced_at"],
                name="assistants_sync_versions",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]

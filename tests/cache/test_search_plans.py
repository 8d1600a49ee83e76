"""On PostgreSQL, a search after a sync reads the GIN indexes, not the whole table (issue 25).

Two things made the planner scan the table at 2,000 assistants: the rows a sync writes in bulk
wait in each GIN index's pending list, which every index scan reads through whole (the sync now
merges them: cache/search.py, search_index_tidy); and a random page priced at 4.0 against the
sequential scan, whose cost leaves out detoasting every row's tsvector (migration 0010).
"""

from __future__ import annotations

import pytest
from django.db import connection

from assistants import selectors
from assistants.cache.services import assistants_sync

pytestmark = pytest.mark.django_db

# 2,000, where the planner read the whole table. At 400 the rows fit in 18 pages since
# migration 0017, and reading them all costs about what the indexes do (~1 ms): it may.
SEED = {"assistants": 2000, "faqs_per_assistant": 30, "pending_ratio": 0.1, "prompt_bytes": 4096}


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the GIN indexes and planner settings exist on PostgreSQL only")


def _database_setting(name: str) -> str | None:
    """A setting the database carries for every new session (ALTER DATABASE … SET)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unnest(setconfig) FROM pg_db_role_setting s JOIN pg_database d"
            " ON d.oid = s.setdatabase WHERE d.datname = current_database() AND s.setrole = 0"
        )
        for (entry,) in cursor.fetchall():
            key, _, value = entry.partition("=")
            if key == name:
                return value
    return None


def test_the_database_prices_random_reads_for_memory_and_ssds(postgres):
    assert _database_setting("random_page_cost") == "1.1"


def test_after_a_sync_a_search_reads_the_indexes(postgres, revox):
    revox.reset(SEED)
    assistants_sync()
    with connection.cursor() as cursor:
        # As a new session of the dashboard starts: with the database's own settings (the
        # test's connection was opened before the migrations set them), and with statistics.
        cursor.execute("SET LOCAL random_page_cost = %s", [_database_setting("random_page_cost")])
        cursor.execute("ANALYZE assistants_assistant")
        queryset = selectors.assistant_list(query="lucca").values_list("pk", flat=True)
        plan = queryset.explain()
    assert "Seq Scan" not in plan, plan
    assert "assistants_search_vector" in plan and "assistants_name_trigrams" in plan, plan


@pytest.mark.django_db(transaction=True)
def test_a_sync_that_wrote_many_assistants_vacuums_their_table(postgres, revox, monkeypatch):
    """Until its table is vacuumed, an index-only scan still visits the table for every row: the
    list page's count and filter choices read all of it (~90 ms at 50,000, bench/)."""
    from assistants.cache import search

    def vacuums() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'assistants_assistant'"
            )
            return cursor.fetchone()[0]

    small = {"faqs_per_assistant": 2, "pending_ratio": 0.0, "prompt_bytes": 200}
    revox.reset({"assistants": 5, **small})
    monkeypatch.setattr(search, "VACUUM_AFTER_WRITES", 6)
    before = vacuums()
    assistants_sync()  # 5 written: below the threshold, left to autovacuum
    assert vacuums() == before
    revox.reset({"assistants": 12, **small})
    assistants_sync()  # at least 7 new
    assert vacuums() == before + 1


def test_a_searchs_matches_share_pages_of_the_table(postgres, revox):
    """A search visits the table's page of each assistant it finds; the large texts are stored
    beside the rows (migration 0017), so many rows share a page: five did, with the search
    words in every row."""
    revox.reset({**SEED, "assistants": 300})
    assistants_sync()
    with connection.cursor() as cursor:
        # The pages holding the rows (ctid: page, item), whatever else the table's file holds.
        cursor.execute("SELECT count(DISTINCT (ctid::text::point)[0]) FROM assistants_assistant")
        pages = cursor.fetchone()[0]
    assert pages < 300 / 15, pages
    # Nothing the list or the search reads went with them.
    row = selectors.assistant_list(query="lucca").first()
    assert row is not None and "Lucca" in row.name

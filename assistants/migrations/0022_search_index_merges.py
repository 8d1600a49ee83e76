"""SQLite: the FTS5 indexes merge their segments sixteen at a time rather than four.

FTS5 writes what each transaction adds as a new segment and merges segments of a level as soon
as `automerge` of them have gathered. A sync into an empty cache commits a batch of 500
assistants at a time, so at 4 the same postings were merged again and again as the index grew:
the word index's share of the sync rose from 52 to 84 µs per assistant between 10,000 and
50,000 (bench/, issue 25). At 16 (FTS5's largest) each posting is rewritten about half as often:
the 50,000 prompts and FAQs indexed alone, 500 per transaction, took 5.3 s at 4 and 4.1-4.8 s.
A search reads at most 15 segments a level instead of 3; timed at 50,000 assistants, prefix
queries of one and two words took the same time as before (0.9–14.8 ms, matching 4,167 to
50,000 rows). The setting is kept in each index's own configuration table.
"""

from django.db import migrations

INDEXES = ("assistants_search", "assistants_names")


def merges(count: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for index in INDEXES:
                setting = f"INSERT INTO {index}({index}, rank) VALUES ('automerge', %s)"  # noqa: S608
                cursor.execute(setting, [count])

    return apply


class Migration(migrations.Migration):
    dependencies = [("assistants", "0021_faq_index_without_constraint")]

    operations = [migrations.RunPython(merges(16), merges(4))]

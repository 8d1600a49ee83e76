"""SQLite: the word index keeps which assistants hold a word, not where in their text.

FTS5 stores by default every position of every word (`detail=full`), for phrase and NEAR
queries. The search never asks one of the word index: it asks for each word typed as a prefix,
all required, anywhere in the text (assistants/cache/search.py), which `detail=none` answers
from each word's list of assistants alone. A 4 kB prompt and 30 FAQ items are ~1,100 words
(~210 distinct): their positions were nine tenths of the index. The names' trigram index keeps
its positions (a substring is a phrase of trigrams).

10,000 prompts and FAQs, 500 per transaction as a sync writes them (bench/, issue 25):
indexed in 0.56-0.60 s rather than 0.91 s, into 2.2 MB rather than 19.7 MB; at 50,000 in
3.6 s rather than 5.0 s, 10.8 MB rather than 98.6 MB. A search's own query at 50,000 (the
index alone, medians of 21): a word matching 4,167 assistants 1.1 -> 1.5 ms, "appoint*"
(50,000, a few words) 13 -> 18 ms, "the*" (50,000, many words) 51 -> 22 ms.

The index is made again from the assistants' rows (`rebuild`), with migration 0022's merge
setting; the triggers of migrations 0003 and 0013 name it and stay as they are.
"""

from django.db import migrations

TABLE = (
    "CREATE VIRTUAL TABLE assistants_search USING fts5("
    " search_text, content='assistants_assistant', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2'{detail})"
)


def recreate(detail: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP TABLE assistants_search")
            cursor.execute(TABLE.format(detail=detail))
            cursor.execute(
                "INSERT INTO assistants_search(assistants_search, rank) VALUES ('automerge', 16)"
            )
            cursor.execute("INSERT INTO assistants_search(assistants_search) VALUES ('rebuild')")

    return apply


class Migration(migrations.Migration):
    dependencies = [("assistants", "0022_search_index_merges")]

    operations = [migrations.RunPython(recreate(", detail=none"), recreate(""))]

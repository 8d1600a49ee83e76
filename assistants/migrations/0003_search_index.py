"""Search without scanning every prompt.

The `prompt` column goes: the full JSON and `search_text` already hold it, and a 4 KB column
sitting before the list's columns made every list page read through it.

On SQLite, an FTS5 index over `search_text` (external content: the text is not stored twice)
answers word-prefix searches in about a millisecond where a LIKE over 2,000 prompts took 20 ms
or more; triggers keep it current on every insert, update and delete, so no code that writes
assistants needs to know about it. Other databases keep searching `search_text` with LIKE.
"""

from django.db import migrations

CREATE = [
    "CREATE VIRTUAL TABLE assistants_search USING fts5("
    " search_text, content='assistants_assistant', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER assistants_search_ai AFTER INSERT ON assistants_assistant BEGIN"
    " INSERT INTO assistants_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER assistants_search_ad AFTER DELETE ON assistants_assistant BEGIN"
    " INSERT INTO assistants_search(assistants_search, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER assistants_search_au AFTER UPDATE OF search_text ON assistants_assistant BEGIN"
    " INSERT INTO assistants_search(assistants_search, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO assistants_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO assistants_search(assistants_search) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS assistants_search_au",
    "DROP TRIGGER IF EXISTS assistants_search_ad",
    "DROP TRIGGER IF EXISTS assistants_search_ai",
    "DROP TABLE IF EXISTS assistants_search",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("assistants", "0002_roles")]

    operations = [
        migrations.RemoveField(model_name="assistant", name="prompt"),
        migrations.RunPython(run(CREATE), run(DROP)),
    ]

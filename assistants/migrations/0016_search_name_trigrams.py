"""SQLite: names, models and voice names searched anywhere in them through an index.

A search matches the name, the model and the voice name anywhere in them (`icontains`, a
LIKE '%…%'), which no B-tree can answer: SQLite read all three for every assistant, 150,000
LIKEs at 50,000 assistants, 15 ms of the search page's 38 (bench/, issue 25). FTS5's trigram
tokenizer indexes every three characters, so a phrase of them is a substring anywhere, case
ignored: an external-content index over the three columns (the text is not stored twice), kept
current by triggers like migration 0003's. Its insert trigger stands aside while the sync fills
it one statement per batch (migration 0013, assistants/cache/rows.py).

PostgreSQL answers the same through its trigram GIN indexes (migrations 0004 and 0009).
"""

from django.db import migrations

CREATE = [
    "CREATE VIRTUAL TABLE assistants_names USING fts5(name, llm_model, voice_name,"
    " content='assistants_assistant', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER assistants_names_ai AFTER INSERT ON assistants_assistant"
    " WHEN (SELECT paused FROM assistants_search_paused) = 0 BEGIN"
    " INSERT INTO assistants_names(rowid, name, llm_model, voice_name)"
    " VALUES (new.id, new.name, new.llm_model, new.voice_name); END",
    "CREATE TRIGGER assistants_names_ad AFTER DELETE ON assistants_assistant BEGIN"
    " INSERT INTO assistants_names(assistants_names, rowid, name, llm_model, voice_name)"
    " VALUES ('delete', old.id, old.name, old.llm_model, old.voice_name); END",
    "CREATE TRIGGER assistants_names_au"
    " AFTER UPDATE OF name, llm_model, voice_name ON assistants_assistant BEGIN"
    " INSERT INTO assistants_names(assistants_names, rowid, name, llm_model, voice_name)"
    " VALUES ('delete', old.id, old.name, old.llm_model, old.voice_name);"
    " INSERT INTO assistants_names(rowid, name, llm_model, voice_name)"
    " VALUES (new.id, new.name, new.llm_model, new.voice_name); END",
    "INSERT INTO assistants_names(assistants_names) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS assistants_names_au",
    "DROP TRIGGER IF EXISTS assistants_names_ad",
    "DROP TRIGGER IF EXISTS assistants_names_ai",
    "DROP TABLE IF EXISTS assistants_names",
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
    dependencies = [("assistants", "0015_voices_in_use_index")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]

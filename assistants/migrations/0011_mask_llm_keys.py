"""The cache kept a custom model's `llm_model.api_key` as Revox sent it; from now on it keeps the
masked digest history holds (assistants/cache/rows.py, `cache_data`). This masks the rows cached
before. Self-contained on purpose: a migration must not change with the app's code."""

from django.db import migrations
from django.utils.crypto import salted_hmac

MASK_PREFIX = "secret:"  # assistants.snapshot.SECRET_MASK_PREFIX


def mask_cached_keys(apps, schema_editor):
    Assistant = apps.get_model("assistants", "Assistant")
    # Every row, checked in Python: no key lookup in SQL, which PostgreSQL's `json` column
    # (migration 0020) lacks.
    rows = Assistant.objects.only("pk", "data").order_by("pk")
    for assistant in rows.iterator(chunk_size=500):
        llm = assistant.data.get("llm_model")
        key = llm.get("api_key") if isinstance(llm, dict) else None
        if not isinstance(key, str) or key.startswith(MASK_PREFIX):
            continue
        digest = salted_hmac("revox.secret", key).hexdigest()[:12]
        data = {**assistant.data, "llm_model": {**llm, "api_key": MASK_PREFIX + digest}}
        Assistant.objects.filter(pk=assistant.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [
        ("assistants", "0010_sync_and_search_plans"),
    ]

    operations = [
        migrations.RunPython(mask_cached_keys, migrations.RunPython.noop),
    ]

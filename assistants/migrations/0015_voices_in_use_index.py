"""The voice filter's choices (each voice in use, with its name) read from an index alone: the
index on (provider, voice id) gains the voice's name. Added before the old one goes, so the
filter by voice keeps an index throughout."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assistants", "0014_faq_one_assistant_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assistant",
            index=models.Index(
                fields=["voice_provider", "voice_id", "voice_name"],
                name="assistants_voices_in_use",
            ),
        ),
        migrations.RemoveIndex(
            model_name="assistant",
            name="assistants__voice_p_613610_idx",
        ),
    ]

"""The review queue's waiting questions read from a partial index of them alone, instead of an
index of every FAQ item led by `needs_human_answer`.

A sync into an empty cache writes 30 FAQ items per assistant (300,000 at 10,000 assistants),
and every one of them went into three b-trees; nine in ten are answered, and no query looked
them up by that index (the "answered" and "all" views read (assistant, position)). Measured on
the bench's seed at 10,000 (300,000 items, 30,000 waiting), the queue's queries kept their
plans or got better ones: SQLite read the waiting questions off (assistant, position) with a
filter, a page deep in the queue 13.4 -> 2.6 ms and their count 7.8 -> 0.9 ms; PostgreSQL
the same plans on the new index, 1.5 -> 1.4 ms for the first page. Added before the old one
goes, so that the queue keeps an index throughout."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assistants", "0017_search_lean_rows"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="faqitem",
            index=models.Index(
                condition=models.Q(("needs_human_answer", True)),
                fields=["assistant", "position"],
                name="assistants_faq_pending",
            ),
        ),
        migrations.RemoveIndex(
            model_name="faqitem",
            name="assistants__needs_h_7dd26a_idx",
        ),
    ]

"""The FAQ index's rows keep their assistant's id without a foreign-key constraint in the
database (models.FaqItem). PostgreSQL checked the constraint for every row a sync inserts, at
its commit: a look-up and a lock of the assistant's row per FAQ item, 300,000 of them for
10,000 assistants, the commit's whole time and a fifth of the server's. The code keeps the rows
to their assistant instead (assistants/cache/services.py), and Django's cascade still deletes
them with it. PostgreSQL drops the constraint; SQLite copies the table once without it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assistants", "0020_assistant_data_json")]

    operations = [
        migrations.AlterField(
            model_name="faqitem",
            name="assistant",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="faq_index",
                to="assistants.assistant",
            ),
        ),
    ]

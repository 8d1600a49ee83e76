"""Test calls of unsaved changes, recorded before their metadata named the assistant they tried,
are filed under that assistant (known from the test call that placed them) and marked as such."""

from django.db import migrations, models


def file_under_tried_assistant(apps, schema_editor):
    TestCall = apps.get_model("calls", "TestCall")
    Call = apps.get_model("calls", "Call")
    tried = (
        TestCall.objects.exclude(group="")
        .exclude(revox_call_id="")
        .values_list("revox_call_id", "assistant_revox_id", "assistant_name")
    )
    for call_id, assistant_id, name in tried.iterator():
        Call.objects.filter(revox_id=call_id).update(
            assistant_revox_id=assistant_id, assistant_name=name, tried_changes=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0002_call_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="tried_changes",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(file_under_tried_assistant, migrations.RunPython.noop),
    ]

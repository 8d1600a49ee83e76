"""The queue's one task moved from assistants/jobs/tasks.py into runner.py (the two imported each
other): entries queued before the move name the old path, which no longer imports."""

from django.db import migrations

OLD, NEW = "assistants.jobs.tasks.run_job", "assistants.jobs.runner.run_job"


def repoint(old: str, new: str):
    def forwards(apps, schema_editor):
        apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(
            task_path=old
        ).update(task_path=new)

    return forwards


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(repoint(OLD, NEW), repoint(NEW, OLD))]

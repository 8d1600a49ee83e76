from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    """The background jobs: its own tables (jobs_job, jobs_jobitem) and pages (/jobs/)."""

    name = "assistants.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every part's job kinds (<part>/jobs.py), so that a worker knows them all.
        from assistants.jobs import schedule  # noqa: F401 (registers the periodic refresh)

        autodiscover_modules("jobs")

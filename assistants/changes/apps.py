from django.apps import AppConfig


class ChangesConfig(AppConfig):
    """Change sets, with tables of their own (ChangeSet, ChangeSetItem)."""

    name = "assistants.changes"
    label = "changes"
    default_auto_field = "django.db.models.BigAutoField"

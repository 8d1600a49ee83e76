from django.apps import AppConfig


class CallsConfig(AppConfig):
    """Test calls, with a table of their own (TestCall)."""

    name = "assistants.calls"
    label = "calls"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _json_read_as_text(sender, connection, **kwargs) -> None:
    """psycopg reads a PostgreSQL `json` column into Python objects itself; Django expects the
    text and decodes it (it has psycopg leave `jsonb` as text for the same reason). Without
    this a JSONDocumentField holding a JSON string would be decoded twice."""
    if connection.vendor == "postgresql":
        from psycopg.types.string import TextLoader  # as Django's backend: psycopg 3

        connection.connection.adapters.register_loader("json", TextLoader)


class AssistantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assistants"
    verbose_name = "Assistants"

    def ready(self) -> None:
        connection_created.connect(_json_read_as_text, dispatch_uid="assistants.json_as_text")

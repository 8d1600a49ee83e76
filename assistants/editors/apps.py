from django.apps import AppConfig


class EditorsConfig(AppConfig):
    """The editors: one per field group of an assistant. An app of its own so that its
    templates (templates/editors/) live beside its code."""

    name = "assistants.editors"
    label = "editors"

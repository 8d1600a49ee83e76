from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """The history: who changed what, readable diffs, restore, export and import. An app of its
    own so that its templates (templates/history/) live beside its code; its table (Change) is
    one of the assistants app's models, beside the cache it describes."""

    name = "assistants.history"
    label = "history"

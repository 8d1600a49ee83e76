from django.apps import AppConfig


class TeamConfig(AppConfig):
    """The team: who may sign in and with which role. An app of its own so that its page and
    template (templates/team/) live beside its code. It has no models: people are Django's
    users, roles are Django's groups."""

    name = "assistants.team"
    label = "team"

from django.apps import AppConfig


class CallsConfig(AppConfig):
    """Test calls, with a table of their own (TestCall)."""

    name = "assistants.calls"
    label = "calls"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The call record follows every refresh of the assistants; the cache, below this part,
        # runs what is registered without importing it.
        from assistants.cache.services import SYNC_FOLLOWERS
        from assistants.calls.refresh import calls_follow

        if calls_follow not in SYNC_FOLLOWERS:
            SYNC_FOLLOWERS.append(calls_follow)

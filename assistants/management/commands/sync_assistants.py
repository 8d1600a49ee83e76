from django.core.management.base import BaseCommand, CommandError

from assistants.cache.services import assistants_sync
from assistants.calls.refresh import calls_refresh
from assistants.revox import RevoxError


class Command(BaseCommand):
    help = "Refresh the local cache of assistants (and the voice catalogue) and the call record from Revox."

    def handle(self, *args, **options) -> None:
        try:
            result = assistants_sync()
        except RevoxError as err:
            raise CommandError(f"Sync failed: {err}") from err
        self.stdout.write(self.style.SUCCESS(f"Synced with Revox: {result}."))
        try:
            # A long history is read in several walks, each going on where the last stopped.
            calls = calls_refresh()
            while not calls.complete:
                calls = calls_refresh()
        except RevoxError as err:
            raise CommandError(f"Calls refresh failed: {err}") from err
        self.stdout.write(self.style.SUCCESS(f"Calls: {calls}."))

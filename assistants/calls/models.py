"""A test call placed from the dashboard, kept so that its page, the history and the per-user
limit can be answered without asking Revox, and so that one form sends at most one call."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TestCall(models.Model):
    __test__ = False  # not a pytest test class, whatever its name

    class State(models.TextChoices):
        # The form's token is taken and POST /call is on its way (or never answered).
        PLACING = "placing", "Being placed"
        PLACED = "placed", "Placed"
        # Revox answered with an error: no call was placed.
        REFUSED = "refused", "Refused"
        # No answer in time, or the connection dropped after sending: it may have been placed.
        UNCERTAIN = "uncertain", "Unknown"

    # The one-time token of the form that asked for this call: unique, so that a double click
    # or a resubmitted form finds it taken and places nothing.
    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    user_name = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    assistant_revox_id = models.CharField(max_length=64)
    assistant_name = models.CharField(max_length=500, blank=True)
    phone_number = models.CharField(max_length=20)  # E.164
    prompt_variables = models.JSONField(default=dict, blank=True)
    skip_calling_window = models.BooleanField(default=False)
    # The configuration it ran with: the saved version (group "") as last updated at
    # `assistant_updated_at`, or one group's unsaved changes (its values before and after,
    # secrets masked) applied to it.
    group = models.CharField(max_length=32, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    assistant_updated_at = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PLACING)
    error = models.CharField(max_length=500, blank=True)
    revox_call_id = models.CharField(max_length=64, blank=True)
    # The call as Revox last described it (GET /call/{id}), and whether it is over: a call
    # over is not asked about again.
    call = models.JSONField(null=True, blank=True)
    finished = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["assistant_revox_id", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["revox_call_id"],
                condition=~models.Q(revox_call_id=""),
                name="unique_test_call_per_revox_call",
            )
        ]

    def __str__(self) -> str:
        return f"Test call {self.revox_call_id or self.pk} of {self.assistant_name}"

    @property
    def tried_changes(self) -> bool:
        return bool(self.group)


class Call(models.Model):
    """One call from Revox's call record (POST /call/search), kept so that the calls pages, their
    filters and the outcomes per change never wait on Revox. The columns are what lists, filters
    and sums need; `data` is the call as Revox last described it, without its assistant (kept
    once per configuration in CallConfiguration: a call carries the whole assistant, ~17 kB)."""

    revox_id = models.CharField(max_length=64, unique=True)
    assistant_revox_id = models.CharField(max_length=64, blank=True)
    assistant_name = models.CharField(max_length=500, blank=True)
    # As Revox says them, even a value the SDK does not list ("" when missing).
    status = models.CharField(max_length=32, blank=True)
    outcome = models.CharField(max_length=32, blank=True)
    result = models.CharField(max_length=32, blank=True)  # the last attempt's
    direction = models.CharField(max_length=16, blank=True)
    to_phone_number = models.CharField(max_length=32, blank=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(null=True, blank=True)  # Revox's, not ours
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The last attempt's conversation, answered (or started) to ended; None when unknown.
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    answered = models.BooleanField(default=False)  # a person answered the last attempt
    # Required structured-output fields asked for, and how many of them the call captured.
    required_fields = models.PositiveSmallIntegerField(default=0)
    required_captured = models.PositiveSmallIntegerField(default=0)
    # The version of the assistant it ran with: its updated_at, and a digest of its settings.
    version_at = models.DateTimeField(null=True, blank=True)
    config_digest = models.CharField(max_length=64, blank=True)
    final = models.BooleanField(default=False)  # over: never read again
    # A test call of unsaved changes: listed with the assistant it tried (not the throwaway id
    # Revox ran its inline configuration as), and left out of that assistant's outcomes.
    tried_changes = models.BooleanField(default=False)
    data = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The calls page, newest first, and one assistant's (its list and its outcomes).
            models.Index(fields=["-created_at", "-id"], name="call_newest"),
            models.Index(
                fields=["assistant_revox_id", "-created_at", "-id"], name="call_assistant_newest"
            ),
            # The refresh re-reads calls still in progress.
            models.Index(
                fields=["final"], name="call_in_progress", condition=models.Q(final=False)
            ),
        ]

    def __str__(self) -> str:
        return f"Call {self.revox_id}"


class CallConfiguration(models.Model):
    """A configuration of an assistant that calls ran with, kept once (by digest)."""

    digest = models.CharField(max_length=64, unique=True)
    assistant_revox_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Configuration {self.digest[:12]} of {self.assistant_revox_id}"


class CallSyncState(models.Model):
    """Where the incremental refresh of the call record stands (one row).

    `synced_through`: the creation time of the newest call seen by the last refresh that read
    down to what it already knew. A refresh cut short leaves it where it was, so the next one
    reads down to it again and nothing between is skipped."""

    synced_through = models.DateTimeField(null=True, blank=True)
    # A walk cut short by its page budget: the page to read next, and the newest call it saw.
    resume_page = models.PositiveIntegerField(default=0)
    resume_newest = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"Call record synced through {self.synced_through}"

    @classmethod
    def get(cls) -> CallSyncState:
        return cls.objects.get_or_create(pk=1)[0]

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

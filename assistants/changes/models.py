"""A change set and its items: what was asked, of which assistants, and what became of each."""

from __future__ import annotations

from django.conf import settings
from django.db import models

# ChangeSet.operation: the group's form says the new values; find and replace in text fields;
# an FAQ operation (add, answer, remove a question).
SET, REPLACE, FAQ_OPS = "set", "replace", "faq"


class ChangeSet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Previewed, not applied"
        APPLYING = "applying", "Being applied"
        APPLIED = "applied", "Applied"
        ROLLING_BACK = "rolling_back", "Being rolled back"
        ROLLED_BACK = "rolled_back", "Rolled back"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by_name = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    group = models.CharField(max_length=32)  # a field group's slug
    # "set": the group's form says the new values; "replace": find and replace in text fields.
    operation = models.CharField(max_length=16, default="set")
    # The change as the group's form submitted it (bound again against each assistant), and
    # the group's API fields it sets: the others stay as each assistant has them.
    form_data = models.JSONField(default=dict)
    touched = models.JSONField(default=list)
    description = models.CharField(max_length=500, blank=True)  # "Language model: OpenRouter …"
    # {"ids": [...]} (rows ticked) or {"query": {"q": …, "provider": …}} (all matching).
    selection = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # A second person's approval, when the policy asks for one (ChangeSetPolicy).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    approved_by_name = models.CharField(max_length=300, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Change set #{self.pk}"


class ChangeSetItem(models.Model):
    class Preview(models.TextChoices):
        CHANGE = "change", "Will change"
        ALREADY = "already", "Already so"
        CANNOT = "cannot", "Cannot take it"

    class Outcome(models.TextChoices):
        PENDING = "", "Not run yet"
        CHANGED = "changed", "Changed"
        ALREADY = "already", "Already so"
        CANNOT = "cannot", "Cannot take it"
        CONFLICT = "conflict", "Conflict: changed by someone else"
        FAILED = "failed", "Failed: not saved"

    class Rollback(models.TextChoices):
        NONE = "", "—"
        RESTORED = "restored", "Put back"
        UNCHANGED = "unchanged", "Nothing to put back"
        CONFLICT = "conflict", "Changed since: left as it is"
        FAILED = "failed", "Failed: not put back"

    change_set = models.ForeignKey(ChangeSet, on_delete=models.CASCADE, related_name="items")
    assistant_revox_id = models.CharField(max_length=64)
    assistant_name = models.CharField(max_length=500, blank=True)
    # The touched fields as the preview read them and as the set makes them (Revox's JSON;
    # shown with secrets masked). `fingerprint`: the whole group as the preview saw it, the
    # apply's conflict check.
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64, blank=True)
    preview = models.CharField(max_length=16, choices=Preview.choices)
    matches = models.PositiveIntegerField(default=0)  # find and replace: how many were found
    # Why it cannot take the change: [[field label, message], …].
    reasons = models.JSONField(default=list, blank=True)
    # What the user should see first (assistants/changes/notes.py): [[about, reason], …]. An
    # item that will change with notes is in the preview's "look first" category.
    notes = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default="", blank=True)
    detail = models.CharField(max_length=1000, blank=True)
    # The group's values once saved: what a rollback checks is still there.
    saved = models.JSONField(null=True, blank=True)
    history = models.ForeignKey(
        "assistants.Change", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rollback = models.CharField(max_length=16, choices=Rollback.choices, default="", blank=True)
    rollback_detail = models.CharField(max_length=1000, blank=True)
    rollback_history = models.ForeignKey(
        "assistants.Change", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["assistant_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["change_set", "assistant_revox_id"], name="one_item_per_assistant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.change_set} · {self.assistant_name}"


class ChangeSetPolicy(models.Model):
    """The Admins' rule for change sets (one row): a set changing more than `approval_over`
    assistants needs a second person's approval before it is applied; None: never."""

    approval_over = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Approval over {self.approval_over}" if self.approval_over else "No approval"

    @classmethod
    def current(cls) -> ChangeSetPolicy:
        return cls.objects.order_by("pk").first() or cls()

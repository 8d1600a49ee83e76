"""A background job and its items, as people see them on /jobs/ and as the runner resumes them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

WAIT_HINT = timedelta(seconds=15)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Stopped"

    kind = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    # None: started by the schedule (the periodic refresh), not by a person.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    # Per-item counts, kept by the runner as each item's result is written.
    total = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    conflict_count = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)  # the outcome in a sentence, or why it stopped
    # The run holding the job: its token, and when it last said it was alive.
    worker = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)  # the queue's row (django-tasks)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def waiting_long(self) -> bool:
        """Queued for a while: no worker is taking jobs (not started, or all busy)."""
        return self.status == self.Status.QUEUED and timezone.now() - self.created_at > WAIT_HINT

    @property
    def handled(self) -> int:
        return self.done_count + self.failed_count + self.conflict_count

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return round(100 * self.handled / self.total) if self.total else 0


class JobItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Not done yet"
        DONE = "done", "Went through"
        FAILED = "failed", "Failed"
        CONFLICT = "conflict", "Conflict"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=200)  # what the kind's step knows the item by
    label = models.CharField(max_length=200)  # what people know it by
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)  # the kind's own account, for its report
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "key"], name="jobs_item_once")]

    def __str__(self) -> str:
        return f"{self.label}: {self.get_status_display()}"

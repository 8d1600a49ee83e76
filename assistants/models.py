"""The local cache of Revox (assistants, FAQ index, voices) and the change history.

Revox holds the truth. An `Assistant` row keeps the full JSON exactly as Revox returned it, plus
the few columns the list, search and review queue need, so that reading never waits on Revox.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JSONDocumentField(models.JSONField):
    """A JSON document stored as PostgreSQL's `json` (its text, checked) rather than `jsonb` (a
    parsed tree); elsewhere, what JSONField stores.

    For a document only ever stored and read whole, never queried inside: an assistant's
    configuration as Revox sent it. jsonb parsed each 11 kB document into its tree on every
    write and printed it back on every read: 134 µs of the server's time to store one and 79 µs
    to read one back, against 82 µs and 24 µs as `json` (5,000 documents; issue 25), ~12 % of
    the server's time in a sync into an empty cache. Key lookups (`data__voice__id`) and
    containment (`@>`) do not exist for `json`: query the cache's own columns instead. The
    keys keep the order written."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        from psycopg.types.json import Json  # as Django's own JSONField: psycopg 3

        if not prepared:
            value = self.get_prep_value(value)
        return Json(value)


class Assistant(models.Model):
    revox_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=500)
    voice_provider = models.CharField(max_length=32, blank=True)
    voice_id = models.CharField(max_length=200, blank=True)
    voice_name = models.CharField(max_length=200, blank=True)
    llm_kind = models.CharField(max_length=32, blank=True)
    llm_model = models.CharField(max_length=300, blank=True)
    # Revox's `type`: "standalone" or "multi-step" (a flow's steps, "sub-assistant", are never
    # cached). Nullable for the same reason as search_words below: SQLite adds it in place.
    assistant_type = models.CharField(max_length=16, null=True, blank=True)  # noqa: DJ001
    faq_count = models.PositiveIntegerField(default=0)
    pending_faq_count = models.PositiveIntegerField(default=0)
    remote_created_at = models.DateTimeField(null=True, blank=True)
    remote_updated_at = models.DateTimeField(null=True, blank=True)
    # Lower-cased name, prompt and FAQ text. On SQLite an FTS5 index over it (kept current by
    # triggers, see migration 0003) answers searches; a query without words is a LIKE over it.
    # It stays after the list's columns, so listing never reads through it.
    search_text = models.TextField(blank=True)
    # On PostgreSQL only: the distinct words of search_text, folded (assistants/cache/search.py), from
    # which a generated tsvector column under a GIN index is built (migration 0004). NULL
    # elsewhere: a nullable column is added to SQLite's table in place, where any other would
    # have the table rebuilt and migration 0003's triggers dropped with it.
    search_words = models.TextField(null=True, blank=True)  # noqa: DJ001
    data = JSONDocumentField()
    content_hash = models.CharField(max_length=64)
    synced_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["remote_updated_at"]),
            models.Index(fields=["pending_faq_count"]),
            models.Index(fields=["voice_provider", "name"]),
            models.Index(fields=["llm_kind", "name"]),
            # The list's filters by model, by voice and by kind, and the models and voices in use.
            models.Index(fields=["llm_kind", "llm_model"]),
            # With the voice's name: the voice filter's choices are read from the index alone.
            # Without it, every list page read every row (on SQLite behind the large columns):
            # 58 % of a page's time at 10,000 assistants, ~100 ms at 50,000 (bench/).
            models.Index(
                fields=["voice_provider", "voice_id", "voice_name"], name="assistants_voices_in_use"
            ),
            models.Index(fields=["assistant_type", "name"]),
            # What a sync compares for every listed assistant, readable without the row: on
            # SQLite these columns sit after the large ones, behind their overflow pages.
            models.Index(
                fields=["revox_id", "remote_updated_at", "synced_at"],
                name="assistants_sync_versions",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FaqItem(models.Model):
    """One FAQ item of one assistant, indexed for search and the review queue."""

    class Source(models.TextChoices):
        HUMAN = "human", "Human"
        AI = "ai", "AI suggestion"

    # No index of its own: ("assistant", "position") below serves every lookup by assistant (its
    # leading column), and a third index cost each of a sync's 300,000 inserts (10,000
    # assistants) a write for nothing.
    # No constraint in the database either (migration 0021): PostgreSQL checked each row a sync
    # inserts at its commit, a look-up and a lock of its assistant's row per FAQ item, a fifth of
    # a sync's time on the server (bench/, issue 25). The index is Revox's FAQ copied out of the
    # assistant's row, and the code holds it to that row instead (assistants/cache/services.py):
    # its rows are only written in the transaction that writes or locks the assistant's row, and
    # an assistant is deleted (with them, by Django's cascade) only once its row is locked.
    assistant = models.ForeignKey(
        Assistant, on_delete=models.CASCADE, related_name="faq_index", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    position = models.PositiveIntegerField()
    upstream_id = models.CharField(max_length=64, blank=True)
    question = models.TextField()
    answer = models.TextField(blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.HUMAN)
    needs_human_answer = models.BooleanField(default=False)

    class Meta:
        ordering = ["assistant_id", "position"]
        indexes = [
            models.Index(fields=["assistant", "position"]),
            # The review queue's default view, the questions waiting for a human (a tenth of the
            # items), in its order. Partial: the other nine tenths, which a sync writes by the
            # hundred thousand, are not in it (the "answered" view reads the index above).
            models.Index(
                fields=["assistant", "position"],
                condition=models.Q(needs_human_answer=True),
                name="assistants_faq_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.question[:80]


class Voice(models.Model):
    provider = models.CharField(max_length=32)
    voice_id = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    accent = models.CharField(max_length=64, blank=True)
    gender = models.CharField(max_length=32, blank=True)
    is_cloned = models.BooleanField(default=False)
    model_compat = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["provider", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "voice_id"], name="unique_voice_per_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_provider_display()})"

    def get_provider_display(self) -> str:
        return PROVIDER_LABELS.get(self.provider, self.provider)


PROVIDER_LABELS = {"cartesia": "Cartesia", "elevenlabs": "ElevenLabs", "gradium": "Gradium"}


class VoiceLookup(models.Model):
    """A voice an assistant uses that the catalogue (GET /voices) lacks, as GET /voices/{id}
    told it: its name, or that Revox does not know it (`found` false). Remembered so that a
    sync does not ask Revox again about the same voice every time."""

    provider = models.CharField(max_length=32)
    voice_id = models.CharField(max_length=200)
    found = models.BooleanField(default=False)
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "voice_id"], name="unique_voice_lookup_per_provider"
            )
        ]

    def __str__(self) -> str:
        return self.name or f"{self.voice_id} (not found)"


class SyncState(models.Model):
    """A single row: when the cache last heard from Revox, and the last failure, for the banner."""

    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    voices_synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Last synced {self.last_success_at or 'never'}"

    @classmethod
    def get(cls) -> SyncState:
        state, _ = cls.objects.get_or_create(pk=1)
        return state


class Change(models.Model):
    """One entry of the change history. Append-only: nothing edits or deletes an entry."""

    class Kind(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Edited"
        FAQ_REVIEW = "faq_review", "FAQ review"
        CLONE = "clone", "Cloned"
        DELETE = "delete", "Deleted"
        RESTORE = "restore", "Restored"
        IMPORT = "import", "Imported"
        EXTERNAL = "external", "Changed in Revox"
        # Not a change: a test call, kept in the history with the configuration it ran with.
        TEST_CALL = "test_call", "Test call"

    assistant_revox_id = models.CharField(max_length=64)
    assistant_name = models.CharField(max_length=500)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    group = models.CharField(max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Kept apart from `actor` so the entry still says who after the account is gone.
    actor_name = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The group's values (or, for create/delete, the whole writable configuration).
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # The other assistant of a clone, or the new id of a recreated one.
    related_revox_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["assistant_revox_id", "-created_at"]),
            models.Index(fields=["-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assistant_name} {self.group}".strip()


class Lease(models.Model):
    """A named claim that every worker of the dashboard sees (gunicorn processes, their threads):
    one sync of the cache at a time, one save per assistant at a time. `expires_at` frees a
    claim whose holder died without releasing it. See assistants/cache/leases.py."""

    name = models.CharField(max_length=200, primary_key=True)
    holder = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} until {self.expires_at}"


class FaqDraft(models.Model):
    """An AI's draft answer to a question still waiting for a human, which Revox could not keep.

    Revox keeps a question waiting only when it is sent with a blank answer (assistants/faq.py),
    so a save of an assistant's FAQ blanks every draft nobody decided on. The dashboard keeps
    the draft here and shows it again, as the AI's suggestion, until someone approves, answers
    or deletes the question, or Revox brings a draft of its own for it. Found by assistant and
    question (ids change on every save): `question_digest` is the digest of faq.question_key.
    """

    assistant_revox_id = models.CharField(max_length=64)
    question_digest = models.CharField(max_length=64)
    question = models.TextField()
    answer = models.TextField()
    source = models.CharField(max_length=8, default="ai")
    # Whose save blanked it in Revox, and when.
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    kept_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assistant_revox_id", "question_digest"], name="unique_faq_draft"
            )
        ]

    def __str__(self) -> str:
        return self.question[:80]


class FaqSnooze(models.Model):
    """One person's "skip for now" on one waiting question: hidden from their review queue
    until `until`. Found by assistant and exact question text (ids change on every save)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    assistant_revox_id = models.CharField(max_length=64)
    question = models.TextField()
    until = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "until"])]

    def __str__(self) -> str:
        return f"{self.question[:60]} until {self.until}"

"""Read use cases: everything here answers from the local cache and never waits on Revox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from assistants.models import Assistant, SyncState, Voice, VoiceLookup
from assistants.search_words import WORD_RE, query_words
from assistants.snapshot import LLM_KIND_DESCRIPTIONS, LLM_KIND_LABELS

LIST_COLUMNS = (
    "pk", "revox_id", "name", "voice_provider", "voice_id", "voice_name", "llm_kind",
    "llm_model", "faq_count", "pending_faq_count", "remote_updated_at",
)  # fmt: skip

# Public sort keys → columns. Ties broken by name so paging is stable.
SORTS = {
    "name": ("name",),
    "voice": ("voice_provider", "voice_name", "name"),
    "llm": ("llm_kind", "llm_model", "name"),
    "pending": ("pending_faq_count", "name"),
    "faq": ("faq_count", "name"),
    "updated": ("remote_updated_at", "name"),
}
PROVIDER_CHOICES = [("cartesia", "Cartesia"), ("elevenlabs", "ElevenLabs"), ("gradium", "Gradium")]
LLM_KIND_CHOICES = list(LLM_KIND_LABELS.items())
LLM_KIND_LEGEND = [(kind, label, LLM_KIND_DESCRIPTIONS[kind]) for kind, label in LLM_KIND_CHOICES]


def assistant_list(
    *, query: str = "", provider: str = "", llm_kind: str = "", pending: bool = False,
    sort: str = "name",
) -> QuerySet:  # fmt: skip
    qs = Assistant.objects.only(*LIST_COLUMNS)
    if query.strip():
        qs = qs.filter(search_filter(query))
    if provider:
        qs = qs.filter(voice_provider=provider)
    if llm_kind:
        qs = qs.filter(llm_kind=llm_kind)
    if pending:
        qs = qs.filter(pending_faq_count__gt=0)
    prefix = "-" if sort.startswith("-") else ""
    columns = SORTS.get(sort.lstrip("-"), SORTS["name"])
    return qs.order_by(*(prefix + column for column in columns))


def search_filter(query: str) -> Q:
    """Names match anywhere in them; prompts and FAQ text match words starting with each term
    ("dent" finds "dentist"), accents ignored, every term required. A word is a run of letters
    and digits: "l'hôtel" is the words "l" and "hôtel", as the indexes split the text.

    SQLite answers through its FTS5 index (migration 0003), PostgreSQL through a tsvector
    column under a GIN index (migration 0004, words split by search_words.py); tests/search/
    holds both to the same matches. A query with no word in it (punctuation only) looks for the
    text itself, with a LIKE.
    """
    text = query.strip().lower()
    words = WORD_RE.findall(text)
    if not words:
        return Q(search_text__contains=text)
    if connection.vendor == "sqlite":
        match = " ".join(f'"{word}"*' for word in words)  # a word holds no quote: safe to quote
        in_text = RawSQL(
            "SELECT rowid FROM assistants_search WHERE assistants_search MATCH %s", [match]
        )
        return Q(name__icontains=text) | Q(pk__in=in_text)
    if connection.vendor == "postgresql":
        # Each folded word a prefix, all required; as a tsquery literal (no parser in between,
        # so the words are exactly the stored ones).
        prefixes = " & ".join(
            "'{}':*".format(word.replace("\\", "\\\\").replace("'", "''"))
            for word in query_words(text)
        )
        in_text = RawSQL(
            '"assistants_assistant"."search_vector" @@ %s::tsquery',
            [prefixes],
            output_field=BooleanField(),
        )
        return Q(name__icontains=text) | Q(in_text)
    return Q(search_text__contains=text)


def assistant_search_page(queryset: QuerySet, *, number: str | None, per_page: int) -> Page:
    """One page of a search's results.

    A Paginator over the queryset would run the search twice (to count, then for the page).
    Reading the matching ids in order once and loading only the page's rows by id halves that
    (bench/, issue 9).
    """
    ids = list(queryset.values_list("pk", flat=True))
    page = Paginator(ids, per_page).get_page(number)
    rows = Assistant.objects.only(*LIST_COLUMNS).in_bulk(page.object_list)
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


def assistant_get(*, revox_id: str) -> Assistant | None:
    return Assistant.objects.filter(revox_id=revox_id).first()


def total_pending_faq() -> int:
    return Assistant.objects.aggregate(total=Sum("pending_faq_count"))["total"] or 0


def voice_catalogue() -> QuerySet:
    return Voice.objects.all()


def voice_names() -> dict[tuple[str, str], str]:
    """(provider, voice id) → name: the catalogue's voices, and those found by id beyond it."""
    names = {
        (p, v): n for p, v, n in VoiceLookup.objects.filter(found=True).values_list(
            "provider", "voice_id", "name"
        )
    }  # fmt: skip
    names.update(
        ((p, v), n) for p, v, n in Voice.objects.values_list("provider", "voice_id", "name")
    )
    return names


def voice_lookup(*, provider: str, voice_id: str) -> VoiceLookup | None:
    """What Revox said of a voice outside the catalogue, when it was found."""
    return VoiceLookup.objects.filter(provider=provider, voice_id=voice_id, found=True).first()


@dataclass(frozen=True)
class CacheStatus:
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str
    max_age: int

    @property
    def unreachable(self) -> bool:
        """The last attempt to reach Revox failed."""
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at > self.last_success_at

    @property
    def stale(self) -> bool:
        if self.last_success_at is None:
            return True
        return timezone.now() - self.last_success_at > timedelta(seconds=self.max_age)

    @property
    def age_seconds(self) -> int | None:
        if self.last_success_at is None:
            return None
        return int((timezone.now() - self.last_success_at).total_seconds())


def cache_status() -> CacheStatus:
    state = SyncState.objects.filter(pk=1).first() or SyncState()
    return CacheStatus(
        last_success_at=state.last_success_at,
        last_error_at=state.last_error_at,
        last_error=state.last_error,
        max_age=settings.REVOX_CACHE_MAX_AGE,
    )


def cache_facts() -> dict:
    """The cache's state for a page's context, read once: its banner (`cache_status`, which
    also spares the context processor's own read) and whether to refresh in the background."""
    status = cache_status()
    return {"cache_status": status, "refresh_needed": status.stale}

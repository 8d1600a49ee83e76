"""Read use cases: everything here answers from the local cache and never waits on Revox."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, Sum
from django.http import Http404

from assistants.cache.search import search_filter
from assistants.models import Assistant, Voice
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
    # The search columns (tens of KB with a long prompt and FAQ) serve only the search.
    return Assistant.objects.filter(revox_id=revox_id).defer("search_text", "search_words").first()


def total_pending_faq() -> int:
    return Assistant.objects.aggregate(total=Sum("pending_faq_count"))["total"] or 0


def voice_catalogue() -> QuerySet:
    return Voice.objects.all()


def assistant_get_or_404(revox_id: str) -> Assistant:
    """The cached assistant, or a 404 page for an id the cache does not hold."""
    assistant = assistant_get(revox_id=revox_id)
    if assistant is None:
        raise Http404("No such assistant")
    return assistant

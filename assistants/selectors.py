"""Read use cases: everything here answers from the local cache and never waits on Revox."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet, Sum
from django.http import Http404

from assistants.cache.search import search_filter
from assistants.models import PROVIDER_LABELS, Assistant, Voice
from assistants.snapshot import ASSISTANT_TYPE_LABELS, LLM_KIND_DESCRIPTIONS, LLM_KIND_LABELS

LIST_COLUMNS = (
    "pk", "revox_id", "name", "voice_provider", "voice_id", "voice_name", "llm_kind",
    "llm_model", "assistant_type", "faq_count", "pending_faq_count", "remote_updated_at",
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
LLM_KIND_CHOICES = list(LLM_KIND_LABELS.items())
LLM_KIND_LEGEND = [(kind, label, LLM_KIND_DESCRIPTIONS[kind]) for kind, label in LLM_KIND_CHOICES]
ASSISTANT_TYPE_CHOICES = list(ASSISTANT_TYPE_LABELS.items())


def assistant_list(
    *, query: str = "", provider: str = "", llm_kind: str = "", assistant_type: str = "",
    pending: bool = False, sort: str = "name",
) -> QuerySet:  # fmt: skip
    """`provider` is a voice provider ("cartesia") or one voice ("cartesia:<voice id>");
    `llm_kind` a kind of model ("dedicated-instance") or one model
    ("dedicated-instance:gpt-4.1"), as voice_choices and llm_model_choices offer them."""
    qs = Assistant.objects.only(*LIST_COLUMNS)
    if query.strip():
        qs = qs.filter(search_filter(query))
    if provider:
        provider, one_voice, voice_id = provider.partition(":")
        qs = qs.filter(voice_provider=provider)
        if one_voice:
            qs = qs.filter(voice_id=voice_id)
    if llm_kind:
        llm_kind, one_model, model = llm_kind.partition(":")
        qs = qs.filter(llm_kind=llm_kind)
        if one_model:
            qs = qs.filter(llm_model=model)
    if assistant_type == "standalone":
        # Also the rows cached before the column existed and not changed since (NULL).
        qs = qs.exclude(assistant_type="multi-step")
    elif assistant_type:
        qs = qs.filter(assistant_type=assistant_type)
    if pending:
        qs = qs.filter(pending_faq_count__gt=0)
    prefix = "-" if sort.startswith("-") else ""
    columns = SORTS.get(sort.lstrip("-"), SORTS["name"])
    return qs.order_by(*(prefix + column for column in columns))


# PostgreSQL has no skip scan (before 18): SELECT DISTINCT read every entry of the index, 50,000
# at 50,000 assistants, 4.3 ms for the voices and 3.2 for the models on every list page
# (bench/, issue 25). These hop from one combination to the next in the index that starts with
# exactly those columns (assistants_voices_in_use; llm_kind, llm_model), one probe each: 0.3 ms
# for 42 voices. The columns are NOT NULL, so the row comparison sees every value.
VOICES_IN_USE = """
WITH RECURSIVE found AS (
    (SELECT voice_provider, voice_id, voice_name FROM assistants_assistant
     ORDER BY voice_provider, voice_id, voice_name LIMIT 1)
    UNION ALL
    SELECT later.* FROM found, LATERAL (
        SELECT a.voice_provider, a.voice_id, a.voice_name FROM assistants_assistant a
        WHERE (a.voice_provider, a.voice_id, a.voice_name)
            > (found.voice_provider, found.voice_id, found.voice_name)
        ORDER BY a.voice_provider, a.voice_id, a.voice_name LIMIT 1) later
)
SELECT voice_provider, voice_id, voice_name FROM found
"""
MODELS_IN_USE = """
WITH RECURSIVE found AS (
    (SELECT llm_kind, llm_model FROM assistants_assistant ORDER BY llm_kind, llm_model LIMIT 1)
    UNION ALL
    SELECT later.* FROM found, LATERAL (
        SELECT a.llm_kind, a.llm_model FROM assistants_assistant a
        WHERE (a.llm_kind, a.llm_model) > (found.llm_kind, found.llm_model)
        ORDER BY a.llm_kind, a.llm_model LIMIT 1) later
)
SELECT llm_kind, llm_model FROM found
"""


def _in_use(sql: str, *columns: str) -> list[tuple]:
    """Each distinct combination of `columns` among the cached assistants (`sql` on
    PostgreSQL; SQLite's DISTINCT already skips ahead in the index)."""
    if connection.vendor != "postgresql":
        return list(Assistant.objects.order_by().values_list(*columns).distinct())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def llm_model_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The list's model filter: each kind of model, then each model in use of that kind, as
    option groups [(kind label, [(value, label), ...])]."""
    in_use: dict[str, set[str]] = {}
    for kind, model in _in_use(MODELS_IN_USE, "llm_kind", "llm_model"):
        if model:
            in_use.setdefault(kind, set()).add(model)
    return [
        (label, [(kind, f"Any {label} model"),
                 *((f"{kind}:{model}", model) for model in sorted(in_use.get(kind, ()), key=str.lower))])
        for kind, label in LLM_KIND_CHOICES
    ]  # fmt: skip


def voice_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The list's voice filter: each provider, then each voice in use with that provider, by
    name (by id where Revox gave none), as option groups."""
    in_use: dict[str, dict[str, str]] = {}
    rows = _in_use(VOICES_IN_USE, "voice_provider", "voice_id", "voice_name")
    for provider, voice_id, name in rows:
        if voice_id:
            in_use.setdefault(provider, {})[voice_id] = name or voice_id
    return [
        (label, [(provider, f"Any {label} voice"),
                 *((f"{provider}:{voice_id}", name) for voice_id, name
                   in sorted(in_use.get(provider, {}).items(), key=lambda v: v[1].lower()))])
        for provider, label in PROVIDER_LABELS.items()
    ]  # fmt: skip


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

"""Issue 19.3: the list finds assistants by their model and their voice, and tells multi-step
flows apart, by search and by filter. Runs on SQLite and PostgreSQL (`--database postgres`)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from assistants.cache.search import document_words, search_filter
from assistants.models import Assistant
from tests.query_plans import plan_at_scale

pytestmark = pytest.mark.django_db

FLOW = "Lakeside Physio – Intake flow"


def names(response) -> set[str]:
    return {a.name for a in response.context["page"]}


def cached(**filters) -> set[str]:
    return set(Assistant.objects.filter(**filters).values_list("name", flat=True))


def test_searching_a_model_finds_the_assistants_on_it(synced, viewer_client):
    on_gpt_41 = cached(llm_model__icontains="gpt-4.1")
    # Dedicated "gpt-4.1" and OpenRouter's "openai/gpt-4.1", and nothing else.
    assert {a.llm_model for a in Assistant.objects.filter(name__in=on_gpt_41)} == {
        "gpt-4.1", "openai/gpt-4.1"
    }  # fmt: skip
    assert names(viewer_client.get("/assistants/", {"q": "gpt-4.1"})) == on_gpt_41
    assert names(viewer_client.get("/assistants/", {"q": "GPT-4.1"})) == on_gpt_41
    assert names(viewer_client.get("/assistants/", {"q": "ministral"})) == cached(
        llm_model="ministral-3-8b-instruct"
    )


def test_searching_a_voice_name_finds_the_assistants_speaking_with_it(synced, viewer_client):
    flow = Assistant.objects.get(name=FLOW)
    assert flow.voice_name  # the catalogue's name, not the id
    expected = cached(voice_name=flow.voice_name)
    assert FLOW in expected
    assert names(viewer_client.get("/assistants/", {"q": flow.voice_name.lower()})) == expected


def test_the_model_filter_keeps_dedicated_models_apart(synced, viewer_client):
    page = viewer_client.get("/assistants/").content.decode()
    assert '<option value="dedicated-instance:gpt-4.1"' in page
    assert '<option value="dedicated-instance:ministral-3-8b-instruct"' in page
    assert '<option value="openrouter:openai/gpt-4.1"' in page

    response = viewer_client.get("/assistants/", {"llm": "dedicated-instance:gpt-4.1"})
    assert names(response) == cached(llm_kind="dedicated-instance", llm_model="gpt-4.1")
    assert {a.llm_model for a in response.context["page"]} == {"gpt-4.1"}
    assert 'value="dedicated-instance:gpt-4.1" selected' in response.content.decode()
    ministral = viewer_client.get(
        "/assistants/", {"llm": "dedicated-instance:ministral-3-8b-instruct"}
    )
    assert names(ministral) == cached(llm_model="ministral-3-8b-instruct")
    # The whole kind still filters as before.
    assert names(viewer_client.get("/assistants/", {"llm": "dedicated-instance"})) == cached(
        llm_kind="dedicated-instance"
    )


def test_the_voice_filter_picks_one_voice_by_its_name(synced, viewer_client):
    flow = Assistant.objects.get(name=FLOW)
    value = f"{flow.voice_provider}:{flow.voice_id}"
    page = viewer_client.get("/assistants/").content.decode()
    assert f'<option value="{value}" >{flow.voice_name}</option>' in page
    response = viewer_client.get("/assistants/", {"provider": value})
    assert names(response) == cached(voice_provider=flow.voice_provider, voice_id=flow.voice_id)
    assert names(viewer_client.get("/assistants/", {"provider": "cartesia"})) == cached(
        voice_provider="cartesia"
    )


def test_multi_step_flows_are_marked_and_filtered(synced, viewer_client):
    assert cached(assistant_type="multi-step") == {FLOW}
    everyone = cached()
    multi = viewer_client.get("/assistants/", {"kind": "multi-step"})
    assert names(multi) == {FLOW}
    assert "Multi-step</span>" in multi.content.decode()
    standalone = viewer_client.get("/assistants/", {"kind": "standalone"})
    assert names(standalone) == everyone - {FLOW}
    assert "Multi-step</span>" not in standalone.content.decode()
    # Filters combine: a search inside multi-step flows.
    both = viewer_client.get("/assistants/", {"kind": "multi-step", "q": "gpt-4.1"})
    assert names(both) == {FLOW}
    none = viewer_client.get("/assistants/", {"kind": "multi-step", "llm": "realtime"})
    assert names(none) == set() and "No assistant matches these filters." in none.content.decode()


def test_an_htmx_search_does_not_list_models_and_voices(synced, viewer_client):
    # The filter bar's choices are read for the whole page only, never for a results swap.
    with CaptureQueriesContext(connection) as whole:
        viewer_client.get("/assistants/", {"q": "gpt"})
    with CaptureQueriesContext(connection) as swap:
        response = viewer_client.get("/assistants/", {"q": "gpt"}, HTTP_HX_REQUEST="true",
                                     HTTP_HX_TARGET="assistant-results")  # fmt: skip
    assert b"<optgroup" not in response.content and b"gpt-4.1" in response.content

    def lists_choices(sql: str) -> bool:  # SQLite's DISTINCT, PostgreSQL's hops (selectors.py)
        return "DISTINCT" in sql or "WITH RECURSIVE" in sql

    assert sum(lists_choices(q["sql"]) for q in whole.captured_queries) == 2
    assert not any(lists_choices(q["sql"]) for q in swap.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_kind_of_assistants_already_cached(synced):
    executor = MigrationExecutor(connection)
    executor.migrate([("assistants", "0008_faq_drafts")])
    executor.loader.build_graph()
    # Up again to the newest migrations, not only to 0009: the tests after this one in the same
    # database need every later migration in place (0010's planner setting, 0011's masking).
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert cached(assistant_type="multi-step") == {FLOW}
    assert not Assistant.objects.filter(assistant_type__isnull=True).exists()
    # Down and up again left SQLite's search triggers (migration 0003) in place.
    Assistant.objects.filter(name=FLOW).update(
        search_text="a zanzibar flow", search_words=document_words("a zanzibar flow")
    )
    assert set(
        Assistant.objects.filter(search_filter("zanzib")).values_list("name", flat=True)
    ) == {FLOW}


def test_on_postgresql_indexes_answer_a_search_of_models_and_voices(synced):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes exist on PostgreSQL only")
    plan = plan_at_scale(Assistant.objects.filter(search_filter("gpt-4.1")).order_by())
    for index in (
        "assistants_model_trigrams",
        "assistants_voice_trigrams",
        "assistants_name_trigrams",
    ):
        assert index in plan, plan


def test_on_sqlite_a_search_reads_indexes_not_every_row(synced):
    """Names, models and voice names from their trigram index (migration 0016), words from
    theirs; only the assistants found are read, by id (a LIKE over every row took 15 ms at
    50,000, bench/)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 indexes")
    queryset = Assistant.objects.filter(search_filter("gpt-4.1")).order_by("name").values("pk")
    plan = queryset.explain()
    assert "assistants_names" in plan and "assistants_search" in plan, plan
    assert "SCAN assistants_assistant" not in plan, plan
    # Too short for a trigram: the LIKEs read the index holding the three columns.
    short = Assistant.objects.filter(search_filter("4.")).order_by("name").values("pk")
    assert "USING COVERING INDEX assistants_name_model_voice" in short.explain()


def test_on_sqlite_the_voice_filter_choices_read_an_index_not_the_rows(synced):
    """Every list page offers the voices in use: read from the rows, that read every assistant
    (~100 ms a page at 50,000, bench/)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's covering index")
    rows = Assistant.objects.order_by().values_list("voice_provider", "voice_id", "voice_name")
    assert "USING COVERING INDEX assistants_voices_in_use" in rows.distinct().explain()


def test_the_filter_choices_offer_every_voice_and_model_in_use_once(synced):
    """On PostgreSQL they hop through the index from one value to the next (selectors.py):
    nothing may be skipped or repeated on the way."""
    from assistants import selectors
    from assistants.models import PROVIDER_LABELS
    from assistants.snapshot import LLM_KIND_LABELS

    offered = [value for _, options in selectors.voice_choices() for value, _ in options[1:]]
    in_use = Assistant.objects.filter(voice_provider__in=PROVIDER_LABELS).exclude(voice_id="")
    assert len(set(in_use.values_list("voice_id", flat=True))) > 3
    assert sorted(offered) == sorted({f"{p}:{v}" for p, v in
                                      in_use.values_list("voice_provider", "voice_id")})  # fmt: skip
    models = [value for _, options in selectors.llm_model_choices() for value, _ in options[1:]]
    in_use = Assistant.objects.filter(llm_kind__in=LLM_KIND_LABELS).exclude(llm_model="")
    assert len(set(in_use.values_list("llm_model", flat=True))) > 1
    assert sorted(models) == sorted({f"{k}:{m}" for k, m in
                                     in_use.values_list("llm_kind", "llm_model")})  # fmt: skip

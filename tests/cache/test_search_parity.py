"""The list's search matches the same assistants on SQLite (FTS5, migration 0003) and on
PostgreSQL (tsvector + GIN, migration 0004).

This file runs in both halves of `make test` (`pytest` and `pytest --database postgres`) over
the same data and the same table of expected matches, so a difference between the two
databases fails one half or the other. The table was read off SQLite's behaviour: names match
anywhere, prompt and FAQ words by prefix, accents and case ignored, every word required.
"""

from __future__ import annotations

import pytest
from django.db import connection

from assistants import selectors
from assistants.cache.search import (
    MOST_CHARACTERS,
    WORD_RE,
    document_words,
    fts5_prefixes,
    search_filter,
)
from assistants.cache.services import cache_store
from tests.query_plans import plan_at_scale

pytestmark = pytest.mark.django_db

CORPUS = [
    ("Dentist Downtown", "You book appointments for a dental clinic.",
     [("Do you take walk-ins?", "Yes, until 5pm.")]),
    ("Café Crème", "Réservations pour le café. Naïve questions welcome.",
     [("Où est l'hôtel ?", "À côté de la gare.")]),
    ("Hotel Zürich", "Front desk of a hotel in Zürich; check-in at 3 p.m.",
     [("Is breakfast included?", "Continental breakfast, 7–10.")]),
    ("Übersetzer GmbH", "Translations DE/EN. E-mail: info@uebersetzer.example",
     [("Price per word?", "0.12 € / word")]),
    ("O'Brien & Sons Plumbing", 'Say "emergency" to reach the on-call plumber.',
     [("Do you fix boilers?", "Yes — gas_boilers and oil.")]),
    ("Mega-Store", "Open 24/7. Ask for the manager.", []),
]  # fmt: skip
ALL = {name for name, _, _ in CORPUS}
DENTIST, CAFE, HOTEL, TRANSLATOR, PLUMBER, STORE = (name for name, _, _ in CORPUS)

EXPECTED = {
    # prefixes of prompt and FAQ words; the middle of a word is not a match
    "dent": {DENTIST},
    "appoint": {DENTIST},
    "ental": set(),
    "walk in": {DENTIST},
    "Dentist clinic": {DENTIST},
    "dentist zurich": set(),
    "zzz": set(),
    # names match anywhere in them
    "ntist": {DENTIST},
    "ich": {HOTEL},
    "o'brien": {PLUMBER},
    "mega-store": {STORE},
    # accents and case, either way round
    "cafe": {CAFE},
    "CAFÉ": {CAFE},
    "creme": {CAFE},
    "naive": {CAFE},
    "ou": {CAFE},
    "zurich": {HOTEL},
    "zür": {HOTEL},
    "urich": set(),
    "uber": {TRANSLATOR},
    "ÜBERSETZER": {TRANSLATOR},
    "hotel": {CAFE, HOTEL},
    "hôtel": {CAFE, HOTEL},
    # punctuation splits words
    "l'hôtel": {CAFE},
    "check-in": {HOTEL},
    "gas_boilers": {PLUMBER},
    "info@uebersetzer": {TRANSLATOR},
    "0.12": {TRANSLATOR},
    "24/7": {STORE},
    # quotes
    '"emergency"': {PLUMBER},
    'say "emergency': {PLUMBER},
    "'dentist'": {DENTIST},
    # no word at all: the text itself, LIKE's wildcards taken literally
    '"': {PLUMBER},
    "€": {TRANSLATOR},
    "&": {PLUMBER},
    "_": {PLUMBER},
    "%": set(),
    "?!": set(),
    # one letter: every assistant with a word starting with it, or the letter in its name
    "a": {DENTIST, CAFE, HOTEL, PLUMBER, STORE},
    "3": {HOTEL},
    # empty queries do not filter
    "": ALL,
    "   ": ALL,
}


@pytest.fixture
def corpus(db):
    for number, (name, prompt, faq) in enumerate(CORPUS):
        cache_store({
            "id": f"search-{number}", "name": name, "prompt": prompt,
            "faq_items": [{"id": f"f{number}-{i}", "question": q, "answer": a, "source": "human",
                           "needs_human_answer": False} for i, (q, a) in enumerate(faq)],
        })  # fmt: skip


@pytest.mark.parametrize("query", list(EXPECTED))
def test_it_matches_the_same_assistants_on_every_database(corpus, query):
    found = set(selectors.assistant_list(query=query).values_list("name", flat=True))
    assert found == EXPECTED[query], f"{connection.vendor}: {query!r}"


def test_the_list_page_shows_what_the_search_matched(corpus, viewer_client):
    page = viewer_client.get("/assistants/", {"q": "hôtel"}).content.decode()
    assert "Hotel Zürich" in page and "Café Crème" in page
    assert "Dentist Downtown" not in page


def test_a_nul_in_the_search_is_left_out(corpus, viewer_client):
    # PostgreSQL refuses a NUL in a parameter; SQLite's FTS5 takes it for the query's end.
    response = viewer_client.get("/assistants/", {"q": "denti\x00st"})
    assert response.status_code == 200
    assert [a.name for a in response.context["page"]] == [DENTIST]
    assert viewer_client.get("/assistants/", {"q": "\x00"}).status_code == 200


def test_a_change_is_searchable_at_once(corpus):
    cache_store({"id": "search-0", "name": "Dentist Downtown", "prompt": "Orthodontie à Genève.",
                 "faq_items": []})  # fmt: skip
    assert set(selectors.assistant_list(query="geneve").values_list("name", flat=True)) == {DENTIST}
    assert not selectors.assistant_list(query="appoint").exists()


def test_a_renamed_or_deleted_assistant_is_found_by_its_new_name_only(corpus):
    from assistants.models import Assistant

    def found(query: str) -> set[str]:
        return set(selectors.assistant_list(query=query).values_list("name", flat=True))

    cache_store({"id": "search-5", "name": "Hyper-Market", "prompt": "Open 24/7.",
                 "faq_items": []})  # fmt: skip
    assert found("per-mar") == {"Hyper-Market"}
    assert found("ga-sto") == set()
    Assistant.objects.filter(revox_id="search-2").delete()
    assert found("otel z") == set()
    assert found("ich") == set()


def test_a_word_fts5_splits_in_two_is_found_on_every_database(corpus):
    # U+19B1, a New Tai Lue vowel: a letter to Python, a separator to FTS5 (Unicode 6.1).
    cache_store({"id": "search-6", "name": "Tai Lue desk", "prompt": "Ask for kx\u19b1yz here.",
                 "faq_items": []})  # fmt: skip
    found = set(selectors.assistant_list(query="KX\u19b1y").values_list("name", flat=True))
    assert found == {"Tai Lue desk"}


def test_on_sqlite_every_word_python_finds_is_a_query_fts5_takes(db):
    # The word index keeps no positions (migration 0023): FTS5 refuses a query word it would
    # split in two (a phrase), with an error: each character that Python finds inside a word,
    # between two letters, must give a query FTS5 runs.
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 word index")
    with connection.cursor() as cursor:
        for code in range(0x80, 0x110000):
            if 0xD800 <= code <= 0xDFFF:
                continue
            words = WORD_RE.findall(f"a{chr(code)}b".lower())
            if len(words) == 1:
                cursor.execute(
                    "SELECT rowid FROM assistants_search WHERE assistants_search MATCH %s",
                    [fts5_prefixes(words)],
                )


def test_on_postgresql_the_indexes_answer_the_search(corpus):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN and trigram indexes exist on PostgreSQL only")
    from assistants.models import Assistant

    plan = plan_at_scale(Assistant.objects.filter(search_filter("zürich")).order_by())
    assert "assistants_search_vector" in plan and "assistants_name_trigrams" in plan, plan


def test_the_stored_words_are_split_and_folded_as_fts5_splits_them():
    # Accented and unaccented words, a combining accent (a separator, as in FTS5), "_" and
    # punctuation as separators, a word over 500 characters left out, one of 500 kept.
    text = "Hôtel_Zürich CAFÉ e\u0301te l'hôtel, 42nd-floor x" + "a" * 500 + " " + "b" * 500
    assert document_words(text) == " ".join(
        ["42nd", "b" * 500, "cafe", "e", "floor", "hotel", "l", "te", "zurich"]
    )
    assert document_words("Hello, WORLD_wide hello 42nd") == "42nd hello wide world"


def test_the_stored_words_stop_at_their_size_limit():
    words = [f"w{i:06d}" for i in range(100_000)]  # 7 characters and a space each
    kept = MOST_CHARACTERS // 8
    assert document_words(" ".join(reversed(words))) == " ".join(words[:kept])
    assert document_words(" ".join(words) + " é") == " ".join(["e", *words[: kept - 1]])

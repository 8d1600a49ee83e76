"""The words search knows an assistant by, as SQLite's FTS5 tokenizer (unicode61,
remove_diacritics) finds them: runs of letters and digits, lower-cased, accents removed.

SQLite tokenizes `search_text` itself. On PostgreSQL these functions do it, in Python, for both
sides: `document_words` gives the stored `search_words` that migration 0004's tsvector is built
from, and `query_words` what the user typed. PostgreSQL's own parser and unaccent() took three
times as long as this for a sync of 2,000 assistants (bench/, issue 13), and could not be made
to split exactly where FTS5 does.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata

from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

logger = logging.getLogger(__name__)


# Letters and digits, as FTS5's unicode61 tokenizer splits words (so "_" splits too).
WORD_RE = re.compile(r"[^\W_]+")
# What FTS5's unicode61 tokenizer takes for separators and Python for letters: its tables are
# Unicode 6.1's, where New Tai Lue's vowel signs and two Vedic signs were marks, not letters.
# Every other character Python finds in a word (WORD_RE) FTS5 finds in a token too
# (tests/cache/test_search_parity.py tries each one).
FTS5_SEPARATORS = re.compile("[\u19b0-\u19c0\u19c8\u19c9\u1cf2\u1cf3]")
# SQLite's trigram index finds a text of at least this many characters; a shorter one is looked
# for with LIKEs.
TRIGRAM = 3
# A tsvector lexeme holds at most 2 KB and the whole tsvector 1 MB: longer words are not words
# anyone searches for, and an enormous FAQ must not make its assistant fail to sync.
LONGEST_WORD = 500
MOST_CHARACTERS = 500_000


def fold(word: str) -> str:
    """Lower-cased, accents removed: "Zürich" → "zurich" (NFKD, then no combining marks)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@functools.lru_cache(maxsize=100_000)
def _words_in_token(token: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in WORD_RE.findall(token) if len(word) <= LONGEST_WORD)


# ASCII letters lower-cased, every other ASCII character but a digit made a space (each is a
# separator for WORD_RE): what lies between spaces then is, when ASCII, a word already folded.
_ASCII_FOLDED = str.maketrans(
    {chr(c): chr(c).lower() if chr(c).isalnum() else " " for c in range(128)}
)


def document_words(text: str) -> str:
    """Every distinct word of `text`, folded, space-separated, at most MOST_CHARACTERS long.

    The ASCII separators are made spaces and the ASCII letters lower-cased by one translate,
    then the text split on whitespace, all in C; an ASCII token is then a word as it is, and
    only the others (a word with an accent, a separator outside ASCII) go through the regex and
    the folding, each distinct one once (cached). On PostgreSQL a sync runs this for every
    assistant it writes: the regex per token was a quarter of the sync's Python at 10,000.
    """
    tokens = set(text.translate(_ASCII_FOLDED).split())
    if text.isascii():
        found = tokens
        if found and max(map(len, found)) > LONGEST_WORD:
            found = {word for word in found if len(word) <= LONGEST_WORD}
    else:
        found = set()
        for token in tokens:
            if token.isascii():
                if len(token) <= LONGEST_WORD:
                    found.add(token)
            else:
                found.update(_words_in_token(token))
    if sum(map(len, found)) + len(found) <= MOST_CHARACTERS:
        return " ".join(sorted(found))
    words, size = [], 0
    for word in sorted(found):
        size += len(word) + 1
        if size > MOST_CHARACTERS:
            break
        words.append(word)
    return " ".join(words)


def query_words(query: str) -> list[str]:
    """The words of a search, folded as document_words folds them, in the order typed."""
    return [fold(word) for word in WORD_RE.findall(query)]


def fts5_prefixes(words: list[str]) -> str:
    """An FTS5 query for SQLite's word index: each word a prefix, all required. The index keeps
    no positions (migration 0023), so FTS5 refuses a phrase of two tokens: a word is first split
    where FTS5 would split it (FTS5_SEPARATORS). A word holds no quote: safe to quote."""
    return " ".join(f'"{part}"*' for word in words for part in FTS5_SEPARATORS.split(word))


def search_filter(query: str) -> Q:
    """Names, models and voice names match anywhere in them ("gpt-4.1" finds the assistants on
    "gpt-4.1" and on "openai/gpt-4.1"); prompts and FAQ text match words starting with each term
    ("dent" finds "dentist"), accents ignored, every term required. A word is a run of letters
    and digits: "l'hôtel" is the words "l" and "hôtel", as the indexes split the text.

    SQLite answers through its FTS5 indexes (words: migration 0003; names, models and voice
    names by trigrams: migration 0016), PostgreSQL through a tsvector
    column under a GIN index (migration 0004, words split by document_words above); tests/cache/test_search_parity.py
    holds both to the same matches. A query with no word in it (punctuation only) looks for the
    text itself, with a LIKE.
    """
    # No stored text holds a NUL (PostgreSQL refuses them), and FTS5 reads one as the query's end.
    text = query.replace("\x00", "").strip().lower()
    words = WORD_RE.findall(text)
    if not words:
        return Q(search_text__contains=text)
    # On PostgreSQL each under a trigram index (migrations 0004 and 0009).
    anywhere = (
        Q(name__icontains=text) | Q(llm_model__icontains=text) | Q(voice_name__icontains=text)
    )
    if connection.vendor == "sqlite":
        match = fts5_prefixes(words)
        if len(text) < TRIGRAM:
            in_text = RawSQL(
                "SELECT rowid FROM assistants_search WHERE assistants_search MATCH %s", [match]
            )
            return anywhere | Q(pk__in=in_text)
        # The text as one phrase of trigrams (migration 0016): a substring anywhere in a name,
        # model or voice name, case ignored, read from that index instead of LIKEs over every
        # row; one set of ids with the words' matches.
        phrase = '"{}"'.format(text.replace('"', '""'))
        in_names_or_text = RawSQL(
            "SELECT rowid FROM assistants_names WHERE assistants_names MATCH %s"
            " UNION SELECT rowid FROM assistants_search WHERE assistants_search MATCH %s",
            [phrase, match],
        )
        return Q(pk__in=in_names_or_text)
    if connection.vendor == "postgresql":
        folded = query_words(text)
        if max(map(len, folded)) > LONGEST_WORD:
            # No stored word is that long (document_words): only a name can hold the text, and
            # PostgreSQL refuses so long a word in a query (over 2 kB) rather than find nothing.
            return anywhere
        # Each folded word a prefix, all required; as a tsquery literal (no parser in between,
        # so the words are exactly the stored ones).
        prefixes = " & ".join(
            "'{}':*".format(word.replace("\\", "\\\\").replace("'", "''")) for word in folded
        )
        in_text = RawSQL(
            '"assistants_assistant"."search_vector" @@ %s::tsquery',
            [prefixes],
            output_field=BooleanField(),
        )
        return anywhere | Q(in_text)
    return anywhere | Q(search_text__contains=text)


# The GIN indexes of migrations 0004 and 0009: search words, and trigrams of names, models and
# voice names.
GIN_INDEXES = (
    "assistants_search_vector",
    "assistants_name_trigrams",
    "assistants_model_trigrams",
    "assistants_voice_trigrams",
)


def search_index_tidy(*, written: int = 0) -> None:
    """On PostgreSQL, merge what a sync just wrote into the GIN indexes' main structure.

    Rows written in bulk go to each GIN index's pending list (fastupdate), an unordered list
    that every search reads through whole until VACUUM merges it. After a sync of 2,000
    assistants the planner priced the two index scans at 745 and 1,841 (25 and 29 once merged)
    and scanned the table instead; merging takes ~60 ms for those 2,000 (bench/, issue 25).
    Needs the indexes' owner (the user that migrated); otherwise autovacuum merges them later.
    """
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for index in GIN_INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    except DatabaseError as err:
        logger.info("search index pending lists left to autovacuum: %s", err)
    if written >= VACUUM_AFTER_WRITES and not connection.in_atomic_block:
        _vacuum_assistants()


# Rows a sync must write before it vacuums the assistants' table itself rather than leave it to
# autovacuum (which comes within a minute or so, by its own thresholds).
VACUUM_AFTER_WRITES = 1000


def _vacuum_assistants() -> None:
    """On PostgreSQL, after a sync that wrote many assistants: VACUUM (ANALYZE) their table, so
    that its visibility map says which pages hold only rows every reader sees. Until then an
    index-only scan still visits the table for every row, and each list page's count, pending
    sum and filter choices (four scans of covering indexes) read all of it: ~90 ms a page at
    50,000 assistants right after the sync, until autovacuum came by (bench/). Needs the
    table's owner, like the GIN clean-up above; otherwise autovacuum does it later."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) assistants_assistant")
    except DatabaseError as err:
        logger.info("assistants' table left to autovacuum: %s", err)

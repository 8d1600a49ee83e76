"""The sync's faster serialisation writes the very text canonical_json writes: the digest it
gives is compared with the digests the cache holds (cache_store's, the calls' configurations),
and the text is what a new row stores."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from assistants.snapshot import canonical_json, canonical_json_parsed

# What ijson can hand the sync: no NaN nor infinity (it rejects them), anything else JSON holds.
documents = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=2000, deadline=None)
@given(documents)
@example(1.192092896e-07)  # a bare number whose exponent ends the text (found by hypothesis)
def test_it_writes_what_canonical_json_writes(document):
    assert canonical_json_parsed(document) == canonical_json(document)


@pytest.mark.parametrize(
    "value",
    [1e16, 1.5e300, 1e-05, -2.5e-07, 0.0001, 0.00012, 5e-324, -0.0, 0.7, 1.0, 123456789.25,
     2**63, -(2**63) - 1, 2**64, "\x00\x1f\x7f\u2028\ud800 \"\\/", "1e5", ":1e5"],
)  # fmt: skip
def test_it_writes_the_numbers_and_strings_json_writes(value):
    document = {"b": [value, {"value": value}], "a": value, "é": 1, "z": None}
    assert canonical_json_parsed(document) == canonical_json(document)


def test_it_writes_nesting_deeper_than_orjson_goes():
    document: list = []
    inner = document
    for _ in range(300):
        inner.append([])
        inner = inner[0]
    assert canonical_json_parsed(document) == canonical_json(document)

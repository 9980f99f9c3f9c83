"""Canonical JSON (RFC 8785) and UUIDv7."""

import json
import math
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.canonical import _write, canonical_json, es_number, json_equal
from sync.ids import uuid7, uuid7_time_ms

# Expected texts follow ECMA-262 Number::toString (the RFC 8785 number rules), worked out by hand.
NUMBERS = [
    (1.0, "1"), (-0.0, "0"), (0.1, "0.1"), (7.5, "7.5"), (100.0, "100"), (1e21, "1e+21"),
    (1e20, "100000000000000000000"), (1e-7, "1e-7"), (1e-6, "0.000001"), (1.5e-7, "1.5e-7"),
    (123456789012345680000.0, "123456789012345680000"), (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"), (-2.5, "-2.5"), (0.000001234, "0.000001234"),
    (1 / 3, "0.3333333333333333"), (2**53 + 0.0, "9007199254740992"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "text"), NUMBERS)
def test_es_number(value: float, text: str) -> None:
    assert es_number(value) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_es_number_round_trips(value: float) -> None:
    assert float(es_number(value)) == value


def test_keys_sorted_by_utf16_code_units() -> None:
    # U+1F600 is a surrogate pair (D83D DE00) and sorts before U+FFFF in UTF-16, after it in code points.
    assert canonical_json({"\uffff": 1, "\U0001f600": 2, "b": 3, "a": 4, "B": 5}) == (
        '{"B":5,"a":4,"b":3,"\U0001f600":2,"\uffff":1}'
    )


def test_strings_escaped_like_json_stringify() -> None:
    text = 'q"b\\n\n\t\x01\x7f\u2028é'
    assert canonical_json(text) == '"q\\"b\\\\n\\n\\t\\u0001\x7f\u2028é"'


@pytest.mark.parametrize("bad", [math.nan, math.inf, 2**1024, -(2**1100), "\ud800", {1: "x"}, b"x", {1, 2}])
def test_rejects_what_json_cannot_carry_exactly(bad: object) -> None:
    with pytest.raises(ValueError):
        canonical_json(bad)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


@given(JSON)
def test_canonical_is_compact_parseable_and_stable(value: object) -> None:
    text = canonical_json(value)
    assert json_equal(json.loads(text), value)
    assert canonical_json(json.loads(text)) == text


TEXTS = st.text(st.characters(codec=None, exclude_categories=()), max_size=6)  # lone surrogates included
PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60) | TEXTS | st.sampled_from(["a", "B", "\uffff", "é"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXTS | st.sampled_from(["a", "b"]), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


@given(PLAIN | JSON)
def test_the_fast_path_writes_what_the_reference_writer_writes(value: object) -> None:
    # ``canonical_json`` lets the C encoder write values without floats or non-ASCII keys; it must agree with
    # the JCS writer byte for byte, and refuse exactly what the writer refuses.
    parts: list[str] = []
    try:
        _write(value, parts)
        expected: str | None = "".join(parts)
        expected.encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        expected = None
    if expected is None:
        with pytest.raises(ValueError):
            canonical_json(value)
    else:
        assert canonical_json(value) == expected


@given(st.dictionaries(st.text(max_size=4), st.integers(0, 9), max_size=6))
def test_key_order_does_not_matter(value: dict[str, int]) -> None:
    assert canonical_json(dict(reversed(list(value.items())))) == canonical_json(value)


def test_large_integers_follow_doubles() -> None:
    assert canonical_json(2**53) == "9007199254740992"
    assert canonical_json(10**21) == "1e+21"
    assert canonical_json(-(2**60)) == "-1152921504606847000"  # String(-(2**60)) in JavaScript
    assert canonical_json(2**53 + 1) == "9007199254740992"  # JSON.parse reads the nearest double


def test_json_equal_distinguishes_types() -> None:
    assert json_equal(1, 1.0)
    assert not json_equal(True, 1)
    assert not json_equal("1", 1)
    assert not json_equal(None, False)


def test_uuid7_layout_and_order() -> None:
    before = time.time_ns() // 1_000_000
    ids = [uuid7() for _ in range(5000)]
    after = time.time_ns() // 1_000_000
    assert all(u.version == 7 and u.variant == "specified in RFC 4122" for u in ids)
    assert ids == sorted(ids), "ids made in one process sort in creation order"
    assert len(set(ids)) == len(ids)
    assert before <= uuid7_time_ms(ids[0]) and uuid7_time_ms(ids[-1]) <= after + 2


def test_uuid7_given_time() -> None:
    assert uuid7_time_ms(uuid7(ms=1_700_000_000_123)) >= 1_700_000_000_123

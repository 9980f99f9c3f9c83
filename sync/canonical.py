"""Canonical JSON (RFC 8785, JCS): the byte form hashed for fingerprints and inspection content hashes.

Keys sorted by UTF-16 code units, no whitespace, strings escaped as ``JSON.stringify`` does, numbers in
ECMAScript ``Number.prototype.toString`` form, so a TypeScript client produces the very same bytes.
"""

import json
from decimal import Decimal
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1


def canonical_json(value: Any) -> str:
    """The canonical text of a JSON value; raises ``ValueError`` for values JSON cannot carry exactly."""
    if _plain(value):
        text = _dumps(value)
        if text.isascii() or _encodes(text):
            return text
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def canonical_bytes(value: Any) -> bytes:
    return canonical_json(value).encode("utf-8")


NUL_ESCAPE = "\\u0000"  # how canonical JSON writes a NUL character


def has_nul(value: Any) -> bool:
    """Whether a NUL character is in any string (key or value) of a JSON value: canonical JSON carries it, but
    PostgreSQL stores no NUL in text, so mutation args and request bodies refuse it (PROTOCOL.md §3)."""
    if type(value) is str:
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


def storable_json(value: Any) -> str:
    """``canonical_json``, also refusing (``ValueError``) a NUL character in any string: what a client may queue."""
    text = canonical_json(value)
    if NUL_ESCAPE in text and has_nul(value):  # the text test is fast; a literal "\\u0000" makes it say yes
        raise ValueError("strings must not contain a NUL character")
    return text


# The common case, written by the C encoder: no floats (ECMAScript formats them differently), no integers
# beyond 2**53, ASCII keys only (Python sorts keys by code point, JCS by UTF-16 unit; they agree on ASCII).
# Strings come out as ``_string`` writes them; one with a lone surrogate fails ``_encodes`` and takes the slow
# path, which refuses it.
_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False).encode


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
    if kind is dict:
        for k, v in value.items():  # a loop, not all(): every mutation's fingerprint comes here
            if type(k) is not str or not k.isascii() or (type(v) is not str and not _plain(v)):
                return False
        return True
    if kind is list:
        for v in value:  # noqa: SIM110
            if type(v) is not str and not _plain(v):
                return False
        return True
    return False


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_equal(a: Any, b: Any) -> bool:
    """Whether two JSON values are the same value (``1 == 1.0``, but ``True != 1`` and ``"1" != 1``)."""
    return canonical_json(a) == canonical_json(b)


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        if abs(value) <= MAX_SAFE_INTEGER:
            out.append(str(value))
        elif abs(value) < 2**1024:
            out.append(es_number(float(value)))  # the nearest double, as JSON.parse reads it
        else:
            raise ValueError(f"integer {value} is beyond the range of an IEEE 754 double")
    elif isinstance(value, float):
        out.append(es_number(value))
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise ValueError("object keys must be strings")
        out.append("{")
        for i, key in enumerate(sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))):
            if i:
                out.append(",")
            out.append(_string(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise ValueError(f"{type(value).__name__} is not a JSON value")


def _string(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("strings must not contain lone surrogates") from exc
    return json.dumps(value, ensure_ascii=False)


def es_number(value: float) -> str:
    """ECMAScript Number::toString of a finite double (shortest round-trip digits)."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("NaN and Infinity are not JSON numbers")
    if value == 0:
        return "0"
    if value < 0:
        return "-" + es_number(-value)
    _, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent = int(exponent) + len(digit_tuple) - len(digits)
    k = len(digits)
    n = exponent + k  # value = 0.digits × 10**n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"

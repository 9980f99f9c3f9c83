"""Unified Social Credit Code validation (GB 32100-2015), table-driven."""

import pytest

from backend.orgs.uscc import check_character, uscc_error


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "91110000600037341L", "91110000100000000R"],
)
def test_valid_codes(code):
    assert uscc_error(code) is None


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y44", "check character is 4, expected 3"),
        ("91350100M000100Y4", "18 characters"),
        ("911100001000000000", "expected R"),
        ("91350100M000100Y433", "18 characters"),
        ("9135010OM000100Y43", "not allowed in a USCC: O"),
        ("91350100I000100Y43", "not allowed in a USCC: I"),
        ("91A50100M000100Y43", "administrative division"),
        ("91350100m000100Y43", "not allowed"),
    ],
)
def test_invalid_codes(code, fragment):
    problem = uscc_error(code)
    assert problem is not None and fragment in problem


def test_every_single_character_change_is_caught():
    valid = "91350100M000100Y43"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(8, 17):
        for ch in alphabet:
            if ch != valid[position]:
                changed = valid[:position] + ch + valid[position + 1 :]
                assert uscc_error(changed) is not None, changed


def test_check_character_matches_the_worked_example():
    assert check_character("91350100M000100Y4") == "3"

"""Field-level three-way merge, table-driven."""

import pytest

from sync.merge import FieldState, add_candidate, merge_fields

S = FieldState

CASES = [
    # (name, server fields, writes, base_version, applied, same, conflicting)
    ("new field", {}, {"status": "compliant"}, 0, {"status": "compliant"}, (), {}),
    ("device saw latest write", {"status": S("compliant", 5)}, {"status": "non_compliant"}, 5,
     {"status": "non_compliant"}, (), {}),
    ("device newer base than field", {"status": S("compliant", 3)}, {"status": "non_compliant"}, 9,
     {"status": "non_compliant"}, (), {}),
    ("changed since base, same value", {"status": S("compliant", 7)}, {"status": "compliant"}, 2,
     {}, ("status",), {}),
    ("changed since base, other value", {"status": S("compliant", 7)}, {"status": "non_compliant"}, 2,
     {}, (), {"status": "non_compliant"}),
    ("different fields merge", {"status": S("compliant", 7)}, {"remark": "ok"}, 2, {"remark": "ok"}, (), {}),
    ("mixed", {"status": S("compliant", 7), "value": S(3, 7)}, {"status": "non_compliant", "value": 3.0, "remark": "x"},
     2, {"remark": "x"}, ("value",), {"status": "non_compliant"}),
    ("open conflict, up-to-date base", {"status": S("compliant", 7, conflicted=True)}, {"status": "not_checked"}, 7,
     {}, (), {"status": "not_checked"}),
    ("open conflict, same value", {"status": S("compliant", 7, conflicted=True)}, {"status": "compliant"}, 0,
     {}, ("status",), {}),
    ("true is not 1", {"value": S(1, 4)}, {"value": True}, 1, {}, (), {"value": True}),
    ("null is a value", {"value": S(None, 4)}, {"value": None}, 0, {}, ("value",), {}),
    ("nested equal regardless of key order", {"value": S({"a": 1, "b": [1, 2]}, 4)}, {"value": {"b": [1, 2], "a": 1}},
     0, {}, ("value",), {}),
]  # fmt: skip


@pytest.mark.parametrize(("server", "writes", "base", "apply", "same", "conflicts"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_merge_table(server, writes, base, apply, same, conflicts) -> None:
    result = merge_fields(server, writes, base)
    assert result.apply == apply
    assert result.same == same
    assert result.conflicts == conflicts
    assert result.clean == (not conflicts)


def test_every_written_field_lands_in_exactly_one_bucket() -> None:
    server = {"a": S(1, 9), "b": S(2, 1), "c": S(3, 9, conflicted=True)}
    writes = {"a": 5, "b": 6, "c": 3, "d": 7}
    result = merge_fields(server, writes, 4)
    buckets = [set(result.apply), set(result.same), set(result.conflicts)]
    assert set().union(*buckets) == set(writes)
    assert sum(len(b) for b in buckets) == len(writes)


def test_add_candidate_keeps_distinct_values_only() -> None:
    first = [{"value": "compliant", "author": "u1", "mutation_id": "m1"}]
    grown = add_candidate(first, {"value": "non_compliant", "author": "u2", "mutation_id": "m2"})
    assert [c["mutation_id"] for c in grown] == ["m1", "m2"]
    again = add_candidate(grown, {"value": "non_compliant", "author": "u3", "mutation_id": "m3"})
    assert again == grown
    assert first == [{"value": "compliant", "author": "u1", "mutation_id": "m1"}]  # input untouched


def test_a_devices_later_write_supersedes_its_own_earlier_one():
    """Two offline edits of one field on one device share a base; the second is a correction, not a conflict."""
    current = {"status": FieldState("non_compliant", version=7, device="tablet-a")}
    same_device = merge_fields(current, {"status": "compliant"}, base_version=0, device="tablet-a")
    assert same_device.apply == {"status": "compliant"} and same_device.clean
    other_device = merge_fields(current, {"status": "compliant"}, base_version=0, device="tablet-b")
    assert other_device.conflicts == {"status": "compliant"}
    conflicted = {"status": FieldState("non_compliant", version=7, conflicted=True, device="tablet-a")}
    assert merge_fields(conflicted, {"status": "compliant"}, base_version=9, device="tablet-a").conflicts

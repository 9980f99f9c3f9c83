"""The inspection status machine, table-tested without a database."""

import itertools

import pytest

from backend.errors import Conflict
from backend.inspections.workflow import (
    AMENDABLE,
    EDITABLE,
    TRANSITIONS,
    Action,
    Status,
    advance,
    require_editable,
)

ALLOWED = [
    (Status.draft, Action.submit, Status.submitted),
    (Status.submitted, Action.approve, Status.approved),
    (Status.submitted, Action.return_, Status.returned),
    (Status.returned, Action.submit, Status.submitted),
]


@pytest.mark.parametrize(("start", "action", "end"), ALLOWED)
def test_allowed_transitions(start, action, end):
    assert advance(start, action) == end


REFUSED = [(s, a) for s, a in itertools.product(Status, Action) if (s, a) not in {(x, y) for x, y, _ in ALLOWED}]


@pytest.mark.parametrize(("start", "action"), REFUSED)
def test_every_other_transition_is_refused(start, action):
    with pytest.raises(Conflict) as exc:
        advance(start, action)
    assert exc.value.code == "inspection.invalid_transition"


def test_table_is_exactly_the_allowed_set():
    assert {(s, a): e for s, a, e in ALLOWED} == TRANSITIONS


def test_every_status_is_reachable_and_approval_is_final():
    reached, frontier = {Status.draft}, [Status.draft]
    while frontier:
        here = frontier.pop()
        for (start, _), end in TRANSITIONS.items():
            if start == here and end not in reached:
                reached.add(end)
                frontier.append(end)
    assert reached == set(Status)
    assert not [a for (s, a) in TRANSITIONS if s == Status.approved]


def test_a_record_is_either_held_by_the_inspector_or_changed_only_by_amendment():
    assert EDITABLE.isdisjoint(AMENDABLE) and set(Status) == EDITABLE | AMENDABLE
    # What the inspector holds is what can be submitted; what was submitted is amended.
    assert {s for (s, a) in TRANSITIONS if a == Action.submit} == EDITABLE


@pytest.mark.parametrize("status", [Status.submitted, Status.approved])
def test_submitted_records_are_locked(status):
    with pytest.raises(Conflict) as exc:
        require_editable(status)
    assert exc.value.code == "inspection.locked"


@pytest.mark.parametrize("status", [Status.draft, Status.returned])
def test_draft_and_returned_records_are_editable(status):
    require_editable(status)

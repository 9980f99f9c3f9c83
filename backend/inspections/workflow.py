"""The inspection status workflow as a pure state machine: one table of allowed transitions."""

from enum import StrEnum

from backend.errors import Conflict


class Status(StrEnum):
    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    approved = "approved"


class Action(StrEnum):
    submit = "submit"
    approve = "approve"
    return_ = "return"


TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.draft, Action.submit): Status.submitted,
    (Status.returned, Action.submit): Status.submitted,
    (Status.submitted, Action.approve): Status.approved,
    (Status.submitted, Action.return_): Status.returned,
}

# Findings and header fields change only while the inspector holds the record.
EDITABLE = frozenset({Status.draft, Status.returned})
# A record that has been submitted at least once is evidence: it changes only by amendment.
AMENDABLE = frozenset({Status.submitted, Status.approved})


def advance(status: Status, action: Action) -> Status:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise Conflict(
            "inspection.invalid_transition",
            f"Cannot {action.value} an inspection that is {status.value}.",
            status=status.value,
            action=action.value,
        ) from None


def require_editable(status: Status) -> None:
    if status not in EDITABLE:
        raise Conflict(
            "inspection.locked",
            f"The inspection is {status.value} and can no longer be changed; create an amendment instead.",
            status=status.value,
        )

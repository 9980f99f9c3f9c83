"""The measure's state machine and the enforcement ladder (pure).

``open -> complied`` (verified) or ``open -> overdue`` (the daily sweep) ``-> escalated`` (a next measure decided)
``-> closed``; ``withdrawn`` from any unfinished state; a penalty is ``closed`` once paid or waived.
"""

from backend.enforcement.models import ActionStatus, Measure

S = ActionStatus
FINISHED = frozenset({S.complied, S.closed, S.withdrawn})
TRANSITIONS: dict[ActionStatus, frozenset[ActionStatus]] = {
    S.open: frozenset({S.complied, S.overdue, S.escalated, S.closed, S.withdrawn}),
    S.overdue: frozenset({S.complied, S.escalated, S.withdrawn}),
    S.escalated: frozenset({S.closed, S.withdrawn}),
    S.complied: frozenset(),
    S.closed: frozenset(),
    S.withdrawn: frozenset(),
}
# Measures with a deadline the sweep watches (a penalty's is the payment's, 15 days: Administrative Penalty Law).
WATCHED = frozenset({Measure.order_to_rectify, Measure.stop_work, Measure.penalty})
LADDER: dict[Measure, Measure] = {
    Measure.advice: Measure.warning,
    Measure.warning: Measure.order_to_rectify,
    Measure.order_to_rectify: Measure.penalty,
    Measure.stop_work: Measure.referral,
    Measure.penalty: Measure.referral,  # to the people's court for compulsory enforcement
}


def allowed(current: ActionStatus, target: ActionStatus) -> bool:
    return target in TRANSITIONS[current]


def next_rung(measure: Measure, *, holds_penalty_power: bool) -> Measure | None:
    """The next step of the ladder; a penalty the inspectorate cannot impose becomes a referral."""
    step = LADDER.get(measure)
    if step == Measure.penalty and not holds_penalty_power:
        return Measure.referral
    return step

"""``to_public``: the one shape of a complaint that leaves the desk (exports, statistics, reports). It keeps what
a statistician counts and drops the complainant (identity, token, anonymity aside), every free text (summary,
notes, an unregistered workplace's name and address), the staff and the inspection the complaint triggered."""

from collections.abc import Iterable

from backend.complaints.models import Complaint, ComplaintStatistical
from backend.inspections.models import InspectionType


def to_public(complaint: Complaint) -> ComplaintStatistical:
    return ComplaintStatistical(
        id=complaint.id,
        district_id=complaint.district_id,
        establishment_id=complaint.establishment_id,
        unregistered_workplace=complaint.establishment_id is None,
        received_on=complaint.received_on,
        channel=complaint.channel,
        matters=list(complaint.matters),
        anonymous=complaint.anonymous,
        status=complaint.status,
        priority=complaint.priority,
        due_on=complaint.due_on,
        inspected=complaint.inspection_id is not None,
        outcome=complaint.outcome,
        concluded_on=complaint.concluded_on,
        replied=complaint.reply_sent_on is not None,
    )


def to_public_many(complaints: Iterable[Complaint]) -> list[ComplaintStatistical]:
    return [to_public(c) for c in complaints]


def employer_facing_type(kind: InspectionType) -> InspectionType:
    """The type a notice, report or export read by the employer shows: a complaint's inspection is announced as
    a routine (planned) one, so nothing an employer reads says a visit came from a complaint (C81 Art. 15(c))."""
    return InspectionType.planned if kind == InspectionType.complaint else kind

"""A supervisor's comment on one finding when returning an inspection, beside the review's overall comment.

Written with the review (``review.review``); read by the desk view and by the sync feed, which puts them in the
inspection row's ``review`` so each reaches the inspector's device beside its item (``sync/PROTOCOL.md`` §5)."""

import uuid
from typing import Annotated

from pydantic import Field as PydanticField
from pydantic import StringConstraints
from sqlmodel import Field, Session, SQLModel, col, select

from backend.db import uuid7
from backend.fields import Input

MAX_COMMENTS = 500


class InspectionReviewComment(SQLModel, table=True):
    __tablename__ = "inspection_review_comment"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    review_id: uuid.UUID = Field(foreign_key="inspection_review.id", index=True)
    checklist_key: str = Field(max_length=64)
    item_id: str = Field(max_length=64)
    comment: str = Field(max_length=4000)


class FindingComment(Input):
    """The comment on one item of a returned inspection."""

    checklist_key: Annotated[str, StringConstraints(max_length=64)]
    item_id: Annotated[str, StringConstraints(max_length=64)]
    comment: Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class FindingCommentPublic(SQLModel):
    checklist_key: str
    item_id: str
    comment: str


FindingComments = Annotated[list[FindingComment], PydanticField(max_length=MAX_COMMENTS)]


def add(session: Session, review_id: uuid.UUID, comments: list[FindingComment]) -> None:
    for c in comments:
        session.add(
            InspectionReviewComment(
                review_id=review_id, checklist_key=c.checklist_key, item_id=c.item_id, comment=c.comment.strip()
            )
        )


def comments_of(session: Session, review_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[FindingCommentPublic]]:
    """Each review's finding comments, in the order written."""
    out: dict[uuid.UUID, list[FindingCommentPublic]] = {r: [] for r in review_ids}
    if not review_ids:
        return out
    stmt = select(InspectionReviewComment).where(col(InspectionReviewComment.review_id).in_(review_ids))
    for row in session.exec(stmt.order_by(col(InspectionReviewComment.id))):
        out[row.review_id].append(FindingCommentPublic.model_validate(row, from_attributes=True))
    return out

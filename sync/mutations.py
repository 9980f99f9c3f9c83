"""Argument models of every mutation in protocol version 1, keyed by ``(name, v)``.

Handlers on the server receive these validated models; the PWA builds the same shapes.
"""

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from .canonical import MAX_SAFE_INTEGER

SHA256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
CONTENT_HASH = Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]
ITEM_ID = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$")]
FINDING_FIELDS = ("status", "value", "remark", "workers_affected")
HEADER_FIELDS = ("visit_date", "location", "employer_representative", "workers_present", "summary")
FindingStatus = Literal["compliant", "non_compliant", "not_applicable", "not_checked"]
InspectionType = Literal["planned", "complaint", "accident", "follow_up", "campaign"]
COUNT = Annotated[int, Field(ge=0, le=100_000)]
# Versions and byte sizes: at most what a JavaScript number holds exactly (canonical JSON writes larger integers
# as the nearest double, so two devices could hash different values alike).
VERSION = Annotated[int, Field(ge=0, le=MAX_SAFE_INTEGER)]
BYTES = Annotated[int, Field(ge=1, le=MAX_SAFE_INTEGER)]


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InspectionCreate(Args):
    inspection_id: UUID
    establishment_id: Annotated[str, Field(min_length=1, max_length=64)]
    checklist: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,63}@[1-9][0-9]*$")]
    type: InspectionType = "planned"
    team: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(default_factory=list)
    header: dict[str, Any] = Field(default_factory=dict)


class FieldWrites(Args):
    """Writes to some fields of one record, made on top of the record ``base_version`` the device held."""

    base_version: VERSION
    fields: Annotated[dict[str, Any], Field(min_length=1)]


class InspectionUpdate(FieldWrites):
    inspection_id: UUID


class FindingRecord(FieldWrites):
    inspection_id: UUID
    item_id: ITEM_ID


class FindingNote(Args):
    note_id: UUID
    inspection_id: UUID
    item_id: ITEM_ID
    text: Annotated[str, Field(min_length=1, max_length=10_000)]


class PhotoPreview(Args):
    sha256: SHA256
    bytes: BYTES
    mime: Annotated[str, Field(pattern=r"^image/(jpeg|png|webp)$")]


class PhotoAttach(Args):
    photo_id: UUID
    inspection_id: UUID
    item_id: ITEM_ID | None = None
    sha256: SHA256
    bytes: BYTES
    mime: Annotated[str, Field(pattern=r"^image/[a-z0-9.+-]+$")]
    geo: dict[str, float | None] | None = None
    preview: PhotoPreview | None = None  # a downscaled copy derived from the original (the evidence)


class PhotoDetach(Args):
    """Remove a photo from a draft before submission; the row stays as a tombstone (``detached``)."""

    photo_id: UUID
    inspection_id: UUID


class SignatureAttach(Args):
    signature_id: UUID
    inspection_id: UUID
    signer_name: Annotated[str, Field(min_length=1, max_length=200)]
    signer_role: Literal["inspector", "employer", "worker_representative", "witness"]
    sha256: SHA256


class InspectionSubmit(Args):
    inspection_id: UUID
    content_hash: CONTENT_HASH


class AmendmentCreate(Args):
    amendment_id: UUID
    inspection_id: UUID
    amends: UUID  # the submission id the device holds as current
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    header: dict[str, Any] = Field(default_factory=dict)
    findings: dict[ITEM_ID, dict[str, Any]] = Field(default_factory=dict)
    content_hash: CONTENT_HASH


class InterviewRecord(Args):
    """A worker interview: counts and an anonymous note — never a name (the informant is protected)."""

    interview_id: UUID
    inspection_id: UUID
    men: COUNT
    women: COUNT
    under_18: COUNT
    note: Annotated[str, Field(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _counts(self) -> "InterviewRecord":
        if self.men + self.women == 0:
            raise ValueError("an interview needs at least one worker heard")
        if self.under_18 > self.men + self.women:
            raise ValueError("under_18 cannot exceed men + women")
        return self


class ConflictResolve(Args):
    conflict_id: UUID
    choose: UUID  # the ``mutation_id`` of the chosen candidate
    note: Annotated[str, Field(max_length=2000)] | None = None


Channel = Literal["field", "walk_in", "phone", "letter", "email", "online", "referral"]
MATTER = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]


class ComplaintCreate(Args):
    """A complaint taken on the tablet: about a registered establishment, or an unregistered workplace to find
    (``workplace_name`` in ``district_id``; address and a description of how to find it). Older tablets send
    only ``establishment_id, summary, received_on, confidential``: the rest has defaults. Never the complainant."""

    complaint_id: UUID
    establishment_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    district_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    workplace_name: Annotated[str, Field(max_length=200)] = ""
    workplace_address: Annotated[str, Field(max_length=500)] = ""
    workplace_description: Annotated[str, Field(max_length=2000)] = ""
    summary: Annotated[str, Field(min_length=1, max_length=10_000)]
    matters: Annotated[list[MATTER], Field(max_length=20)] = Field(default_factory=list)
    channel: Channel = "field"
    received_on: date
    confidential: bool = True

    @model_validator(mode="after")
    def _a_workplace(self) -> "ComplaintCreate":
        if self.establishment_id is None and not self.workplace_name.strip():
            raise ValueError("name the establishment, or an unregistered workplace (workplace_name)")
        return self


class ActionRecord(Args):
    action_id: UUID
    inspection_id: UUID
    item_id: ITEM_ID | None = None
    measure: Literal["advice", "warning", "order_to_rectify", "stop_work", "penalty", "referral"]
    deadline_days: Annotated[int, Field(ge=0, le=365)] | None = None
    text: Annotated[str, Field(max_length=10_000)] | None = None


class InjuredPerson(Args):
    """One person injured, with what the 16th ICLS resolution counts (no name)."""

    sex: Literal["male", "female"]
    age_group: Literal["under_15", "15_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus", "unknown"]
    occupation: Annotated[str, Field(pattern=r"^([0-9]{1,4})?$")] = ""
    employment_status: Literal["employee", "employer", "own_account", "coop_member", "family_worker", "other"] = (
        "employee"
    )
    nature_of_injury: Literal[
        "wound", "fracture", "dislocation", "amputation", "internal", "burn", "poisoning", "multiple", "other",
        "unknown",
    ]  # fmt: skip
    part_of_body: Literal[
        "head", "neck", "back", "trunk", "upper_limbs", "lower_limbs", "whole_body", "other", "unknown"
    ]
    fatal: bool = False
    serious: bool = False
    days_lost: Annotated[int, Field(ge=0, le=6000)] = 0
    incapacity: Literal["none", "temporary", "permanent"] = "temporary"


class AccidentReport(Args):
    """An accident notified from the tablet (the server computes its class); no row comes back to devices."""

    accident_id: UUID
    establishment_id: Annotated[str, Field(min_length=1, max_length=64)]
    occurred_at: AwareDatetime
    commuting: bool = False
    description: Annotated[str, Field(max_length=10_000)] = ""
    direct_loss_yuan: Annotated[int, Field(ge=0, le=10**13)] = 0
    persons: Annotated[list[InjuredPerson], Field(max_length=1000)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _plausible(self) -> "AccidentReport":
        if not 1900 <= self.occurred_at.year <= 2100:
            raise ValueError("occurred_at must be between the years 1900 and 2100")
        return self


class NoticeIssue(Args):
    """An official notice of a measure, numbered offline from a block of serials the server reserved for the
    device; the server freezes and hashes its content."""

    notice_id: UUID
    action_id: UUID
    block_id: UUID
    serial: Annotated[int, Field(ge=1, le=MAX_SAFE_INTEGER)]


class NoticeVoid(Args):
    """A spoiled number of the device's block: recorded as voided, never reused."""

    block_id: UUID
    serial: Annotated[int, Field(ge=1, le=MAX_SAFE_INTEGER)]
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class FollowUpResult(Args):
    """A follow-up inspection's result for one measure it verifies (pulled ``action`` rows name it in
    ``verify_in``): complied closes the measure, not complied escalates it."""

    inspection_id: UUID
    action_id: UUID
    result: Literal["complied", "not_complied"]
    evidence: Annotated[list[SHA256], Field(max_length=50)] = Field(default_factory=list)
    note: Annotated[str, Field(max_length=2000)] | None = None


class DiseaseReport(Args):
    """An occupational disease case notified from the tablet: the disease, the exposure, the diagnosis date and
    the person as the accident's persons are counted (no name); no row comes back to devices."""

    disease_id: UUID
    establishment_id: Annotated[str, Field(min_length=1, max_length=64)]
    disease: Annotated[str, Field(min_length=1, max_length=200)]
    exposure: Annotated[str, Field(min_length=1, max_length=200)]
    exposure_years: Annotated[int, Field(ge=0, le=80)] | None = None
    diagnosed_on: date
    sex: Literal["male", "female"]
    age_group: Literal["under_15", "15_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus", "unknown"]
    occupation: Annotated[str, Field(pattern=r"^([0-9]{1,4})?$")] = ""
    fatal: bool = False


MUTATIONS: dict[tuple[str, int], type[Args]] = {
    ("inspection.create", 1): InspectionCreate,
    ("inspection.update", 1): InspectionUpdate,
    ("finding.record", 1): FindingRecord,
    ("finding.note", 1): FindingNote,
    ("photo.attach", 1): PhotoAttach,
    ("photo.detach", 1): PhotoDetach,
    ("signature.attach", 1): SignatureAttach,
    ("inspection.submit", 1): InspectionSubmit,
    ("amendment.create", 1): AmendmentCreate,
    ("conflict.resolve", 1): ConflictResolve,
    ("complaint.create", 1): ComplaintCreate,
    ("action.record", 1): ActionRecord,
    ("interview.record", 1): InterviewRecord,
    ("accident.report", 1): AccidentReport,
    ("notice.issue", 1): NoticeIssue,
    ("notice.void", 1): NoticeVoid,
    ("follow_up.result", 1): FollowUpResult,
    ("disease.report", 1): DiseaseReport,
}

"""The pydantic definition of a checklist file: the one source of truth for ``checklists/schema.json``.

Pure: no database, no HTTP. Applicability is evaluated here against an establishment profile.
"""

import re
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]{1,63}$"
KEY_PATTERN = r"^[a-z][a-z0-9-]{1,63}$"

# ISIC Rev.4 sections and the two-digit divisions each one spans.
ISIC_SECTIONS: dict[str, tuple[int, int]] = {
    "A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39), "F": (41, 43),
    "G": (45, 47), "H": (49, 53), "I": (55, 56), "J": (58, 63), "K": (64, 66), "L": (68, 68),
    "M": (69, 75), "N": (77, 82), "O": (84, 84), "P": (85, 85), "Q": (86, 88), "R": (90, 93),
    "S": (94, 96), "T": (97, 98), "U": (99, 99),
}  # fmt: skip
ISIC_CODE = re.compile(r"^(?:[A-U]|\d{2,4})$")


def isic_section(code: str) -> str | None:
    """The ISIC Rev.4 section letter of a section letter or a 2–4 digit division/group/class code."""
    if code in ISIC_SECTIONS:
        return code
    if not code[:2].isdigit():
        return None
    division = int(code[:2])
    return next((s for s, (lo, hi) in ISIC_SECTIONS.items() if lo <= division <= hi), None)


def isic_matches(pattern: str, code: str) -> bool:
    """Whether an establishment's ISIC ``code`` falls under ``pattern`` (a section letter or a code prefix)."""
    if pattern.isalpha():
        return isic_section(code) == pattern
    return code.startswith(pattern)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A user-facing text in both official languages."""

    en: Annotated[str, Field(min_length=1)]
    zh: Annotated[str, Field(min_length=1)]

    @field_validator("en", "zh")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class Verification(StrEnum):
    documents = "documents"
    observation = "observation"
    interview = "interview"


class Severity(StrEnum):
    critical = "critical"
    major = "major"
    minor = "minor"


class AnswerType(StrEnum):
    """What the inspector records beside the compliance status."""

    compliance = "compliance"  # the status alone
    number = "number"  # plus a measured value (hours, count, amount)
    text = "text"  # plus a short observed value
    choice = "choice"  # plus one of ``choices``


class MeasureType(StrEnum):
    """The enforcement ladder, from advice to referral for prosecution."""

    advice = "advice"
    warning = "warning"
    order_to_rectify = "order_to_rectify"
    stop_work = "stop_work"
    penalty = "penalty"
    referral = "referral"


class Authority(StrEnum):
    """The administrative authority that enforces a provision (Regulation on Labour Security Supervision Art. 35
    leaves occupational safety and health to the work-safety, health and special-equipment authorities)."""

    labour_inspection = "labour_inspection"  # 劳动保障监察 (human resources and social security)
    work_safety = "work_safety"  # 应急管理（安全生产监督管理）
    health = "health"  # 卫生健康（职业病防治）
    special_equipment = "special_equipment"  # 市场监督管理（特种设备）
    mine_safety = "mine_safety"  # 矿山安全监察
    construction = "construction"  # 住房和城乡建设（建设工程安全）


AUTHORITY_NAMES: dict[Authority, Text] = {
    Authority.labour_inspection: Text(
        en="labour security supervision (human resources and social security)", zh="劳动保障监察（人力资源社会保障）"
    ),
    Authority.work_safety: Text(en="emergency management (work safety supervision)", zh="应急管理（安全生产监督管理）"),
    Authority.health: Text(en="health (occupational disease prevention)", zh="卫生健康（职业病防治）"),
    Authority.special_equipment: Text(en="market regulation (special equipment)", zh="市场监督管理（特种设备）"),
    Authority.mine_safety: Text(en="mine safety supervision", zh="矿山安全监察"),
    Authority.construction: Text(
        en="housing and urban-rural development (construction safety)", zh="住房和城乡建设（建设工程安全）"
    ),
}


# Fields added after checklists were first published. While one holds its default (None) it is left out of a
# checklist's content hash, so an unchanged file keeps the hash of its published version; setting one changes the
# hash, and the lock then asks for a new version.
HASH_NEUTRAL_FIELDS = frozenset({"authority", "uses_hazardous_chemicals", "underground", "min_union_members"})


class LegalBasis(Strict):
    instrument: Annotated[str, Field(min_length=2, max_length=32, description="Instrument code, e.g. C138")]
    article: Annotated[str, Field(min_length=1, max_length=48, description="Article, e.g. 12(1)(c)")]


class Measure(Strict):
    """The usual enforcement response to a non-compliance with the item."""

    type: MeasureType
    deadline_days: Annotated[int | None, Field(ge=0, le=365)] = None

    @model_validator(mode="after")
    def _deadline_for_orders(self) -> "Measure":
        if self.type == MeasureType.order_to_rectify and self.deadline_days is None:
            raise ValueError("an order to rectify needs deadline_days")
        return self


class Applicability(Strict):
    """A condition on the establishment profile; every stated clause must hold."""

    sectors: list[Annotated[str, Field(pattern=ISIC_CODE.pattern)]] = Field(
        default_factory=list, description="ISIC Rev.4 section letters or code prefixes; empty means any"
    )
    exclude_sectors: list[Annotated[str, Field(pattern=ISIC_CODE.pattern)]] = Field(default_factory=list)
    min_workers: Annotated[int | None, Field(ge=0)] = None
    max_workers: Annotated[int | None, Field(ge=0)] = None
    employs_women: bool | None = None
    employs_under_18: bool | None = None
    uses_hazardous_chemicals: bool | None = Field(
        default=None, description="Whether the establishment produces, stores or uses hazardous chemicals"
    )
    underground: bool | None = Field(default=None, description="Whether the establishment has underground work")
    min_union_members: Annotated[int | None, Field(ge=0, description="At least this many trade-union members")] = None

    def holds(self, profile: "EstablishmentProfile") -> bool:
        code = profile.isic
        if self.sectors and not any(isic_matches(p, code) for p in self.sectors):
            return False
        if any(isic_matches(p, code) for p in self.exclude_sectors):
            return False
        if self.min_workers is not None and profile.workers_total < self.min_workers:
            return False
        if self.max_workers is not None and profile.workers_total > self.max_workers:
            return False
        if self.employs_women is not None and (profile.workers_women > 0) != self.employs_women:
            return False
        if self.employs_under_18 is not None and (profile.workers_under_18 > 0) != self.employs_under_18:
            return False
        chemicals = self.uses_hazardous_chemicals
        if chemicals is not None and profile.uses_hazardous_chemicals != chemicals:
            return False
        if self.underground is not None and profile.has_underground_work != self.underground:
            return False
        return self.min_union_members is None or profile.union_members >= self.min_union_members


class EstablishmentProfile(BaseModel):
    """What applicability is decided on; ``EstablishmentProfile.of(establishment)`` reads it off any object with
    these attributes (the establishment row)."""

    model_config = ConfigDict(from_attributes=True)

    isic: Annotated[str, Field(pattern=ISIC_CODE.pattern)]
    workers_total: int = 0
    workers_women: int = 0
    workers_under_18: int = 0
    uses_hazardous_chemicals: bool = False
    has_underground_work: bool = False
    union_members: int = 0

    @classmethod
    def of(cls, establishment: object) -> "EstablishmentProfile":
        return cls.model_validate(establishment, from_attributes=True)


class Item(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN, description="Stable id, never reused for another question")]
    text: Text
    guidance: Text
    legal_basis: Annotated[list[LegalBasis], Field(min_length=1)]
    verification: Annotated[list[Verification], Field(min_length=1)]
    severity: Severity
    answer_type: AnswerType = AnswerType.compliance
    choices: list[Text] = Field(default_factory=list)
    unit: str | None = Field(default=None, description="Unit of a number answer, e.g. hours")
    evidence_required: bool = Field(description="Whether a non-compliance needs a photo or document")
    applies_if: Applicability | None = None
    measure: Measure
    authority: Authority | None = Field(
        default=None, description="The enforcing authority, where it differs from the checklist's"
    )

    @model_validator(mode="after")
    def _choices_for_choice(self) -> "Item":
        if (self.answer_type == AnswerType.choice) != bool(self.choices):
            raise ValueError("choices are required for, and only for, answer_type 'choice'")
        return self

    def applies_to(self, profile: EstablishmentProfile) -> bool:
        return self.applies_if is None or self.applies_if.holds(profile)

    def authority_in(self, checklist: "Checklist") -> Authority | None:
        """The authority that enforces this item: its own, else its checklist's default."""
        return self.authority or checklist.authority


class Section(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: Text
    items: Annotated[list[Item], Field(min_length=1)]


class Checklist(Strict):
    """One checklist file. Its (key, version) is immutable once published."""

    key: Annotated[str, Field(pattern=KEY_PATTERN)]
    version: Annotated[int, Field(ge=1)]
    title: Text
    description: Text
    authority: Authority | None = Field(default=None, description="The authority enforcing the items by default")
    applies_if: Applicability | None = None
    sections: Annotated[list[Section], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_ids(self) -> "Checklist":
        seen: set[str] = set()
        for section in self.sections:
            for item in section.items:
                if item.id in seen:
                    raise ValueError(f"duplicate item id {item.id!r}")
                seen.add(item.id)
        if len({s.id for s in self.sections}) != len(self.sections):
            raise ValueError("duplicate section id")
        return self

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    @cached_property
    def _by_id(self) -> dict[str, Item]:
        return {item.id: item for section in self.sections for item in section.items}

    def item(self, item_id: str) -> Item | None:
        """The item with this id, if the checklist has one (an index built on first use)."""
        return self._by_id.get(item_id)

    def applies_to(self, profile: EstablishmentProfile) -> bool:
        return self.applies_if is None or self.applies_if.holds(profile)


class Article(Strict):
    ref: Annotated[str, Field(min_length=1, max_length=48, description="Article reference, e.g. 12 or 12(1)")]
    title: Text | None = None
    effective: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}-\d{2})?$")
    penalty: bool = Field(default=False, description="Whether the article provides an administrative penalty")


class Instrument(Strict):
    code: Annotated[str, Field(min_length=2, max_length=32)]
    kind: Literal["ilo_convention", "ilo_protocol", "national_law", "national_regulation"]
    title: Text
    adopted: Annotated[int, Field(ge=1900, le=2100)]
    effective: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}-\d{2})?$")
    ratified_by_china: str | None = Field(
        default=None, pattern=r"^\d{4}(-\d{2}-\d{2})?$", description="Date of ratification; null if not"
    )
    text: str | None = Field(
        default=None, description="Title of the statute text file (e.g. 劳动法) in a laws folder; national only"
    )
    articles: Annotated[list[Article], Field(min_length=1)]

    @property
    def is_national(self) -> bool:
        return self.kind in ("national_law", "national_regulation")

    @property
    def is_benchmark(self) -> bool:
        """An ILO instrument China has not ratified: a reference standard, not a binding rule."""
        return not self.is_national and self.ratified_by_china is None

    def article(self, ref: str) -> Article | None:
        """The registered article covering ``ref`` ("12(1)(c)" is covered by "12(1)" or "12")."""
        by_ref = {a.ref: a for a in self.articles}
        while True:
            if ref in by_ref:
                return by_ref[ref]
            if "(" not in ref:
                return None
            ref = ref[: ref.rindex("(")]


class Registry(Strict):
    """The instruments an item may cite (``checklists/instruments.yaml``)."""

    instruments: list[Instrument]

    @cached_property
    def _by_code(self) -> dict[str, Instrument]:
        return {i.code: i for i in self.instruments}

    def instrument(self, code: str) -> Instrument | None:
        return self._by_code.get(code)

    def article_exists(self, basis: LegalBasis) -> bool:
        instrument = self.instrument(basis.instrument)
        return instrument is not None and instrument.article(basis.article) is not None

    def binds(self, basis: LegalBasis) -> bool:
        """Whether a citation binds (national law, or a convention China ratified); else it is a benchmark.
        An unknown instrument does not bind."""
        instrument = self.instrument(basis.instrument)
        return instrument is not None and not instrument.is_benchmark

    def is_benchmark(self, basis: LegalBasis) -> bool:
        instrument = self.instrument(basis.instrument)
        return instrument is not None and instrument.is_benchmark

    def is_national(self, basis: LegalBasis) -> bool:
        instrument = self.instrument(basis.instrument)
        return instrument is not None and instrument.is_national

    def is_penalty(self, basis: LegalBasis) -> bool:
        """Whether the cited article is registered as providing an administrative penalty."""
        instrument = self.instrument(basis.instrument)
        article = instrument.article(basis.article) if instrument is not None else None
        return article is not None and article.penalty

    def rests_only_on_benchmarks(self, item: Item) -> bool:
        return not any(self.binds(b) for b in item.legal_basis)

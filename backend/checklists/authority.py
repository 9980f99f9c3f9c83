"""Which measure an inspectorate can take on an item: the item's usual measure, or a referral to the competent
authority where that measure (stop-work, penalty) belongs to an authority the inspectorate is not.

Pure: the item, its checklist and the inspectorate's authorities in; the offered measure out.
"""

from pydantic import BaseModel

from backend.checklists.definition import AUTHORITY_NAMES, Authority, Checklist, Item, MeasureType, Text

# Measures only the authority enforcing the provision may take; advice, warnings and orders to rectify any
# inspector may give (an order on another authority's item is still recorded, and the referral is noted).
POWERS = frozenset({MeasureType.stop_work, MeasureType.penalty})


class OfferedMeasure(BaseModel):
    """What the checklist offers for a non-compliance: ``type`` is the usual measure or ``referral``."""

    type: MeasureType
    deadline_days: int | None = None
    usual: MeasureType
    authority: Authority | None
    referral_to: Text | None = None


def parse_authorities(setting: str) -> frozenset[Authority]:
    """``"labour_inspection,work_safety"`` -> the set; an unknown name is an error naming the known ones."""
    names = [name.strip() for name in setting.split(",") if name.strip()]
    known = {a.value for a in Authority}
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise ValueError(
            f"LI_INSPECTORATE_AUTHORITIES: unknown {unknown or 'empty'}; known: {', '.join(sorted(known))}"
        )
    return frozenset(Authority(n) for n in names)


def configured_authorities() -> frozenset[Authority]:
    from backend.config import settings

    return parse_authorities(settings.inspectorate_authorities)


def offered_measure(item: Item, checklist: Checklist, authorities: frozenset[Authority]) -> OfferedMeasure:
    """The item's usual measure, unless it is a power of an authority the inspectorate is not: then a referral."""
    authority = item.authority_in(checklist)
    usual = item.measure.type
    if usual in POWERS and authority is not None and authority not in authorities:
        name = AUTHORITY_NAMES[authority]
        referral = Text(en=f"Referral to the competent authority ({name.en})", zh=f"移送有管辖权的部门（{name.zh}）")
        return OfferedMeasure(type=MeasureType.referral, usual=usual, authority=authority, referral_to=referral)
    return OfferedMeasure(
        type=usual, deadline_days=item.measure.deadline_days, usual=usual, authority=authority, referral_to=None
    )

"""ISIC Rev.4 codes (a class, group, division or section) folded into their section, by the mapping in
``isic_sections.json`` (validated at import); an unknown code is section ``X`` (not classified, as ILOSTAT)."""

import json
from functools import cache
from pathlib import Path

from pydantic import BaseModel, field_validator

MAPPING = Path(__file__).with_name("isic_sections.json")


class SectionMap(BaseModel):
    comment: str = ""
    sections: dict[str, tuple[int, int]]

    @field_validator("sections")
    @classmethod
    def _disjoint(cls, v: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        seen: set[int] = set()
        for letter, (lo, hi) in v.items():
            if len(letter) != 1 or not letter.isupper() or lo > hi:
                raise ValueError(f"bad section {letter}")
            span = set(range(lo, hi + 1))
            if span & seen:
                raise ValueError(f"section {letter} overlaps another")
            seen |= span
        return v


@cache
def _divisions() -> dict[int, str]:
    mapping = SectionMap.model_validate(json.loads(MAPPING.read_text(encoding="utf-8")))
    return {d: s for s, (lo, hi) in mapping.sections.items() for d in range(lo, hi + 1)}


def section_of(code: str | None) -> str:
    if not code:
        return "X"
    if code[0].isalpha():
        return code[0] if code[0] in set(_divisions().values()) else "X"
    return _divisions().get(int(code[:2]), "X") if code[:2].isdigit() else "X"

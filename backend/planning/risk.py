"""The risk score, a pure function of what is known about an establishment on a date (``as_of``). Each component
gives points; the score is the sum of points times their weight (``LI_RISK_WEIGHTS``, 1.0 each by default):

- ``sector``: hazard of the ISIC activity (``sectors.hazard``): 3 high, 2 medium, 1 low.
- ``size``: workers, log scale: ``min(3, log10(1 + workers))`` (1 000 workers or more: 3).
- ``violations``: each non-compliant finding of a visit in the past 3 years, critical 3, major 2, minor 1,
  halved for every year since the visit (``points × 0.5 ** (days / 365)``).
- ``orders``: 1 per open enforcement measure, 2 more if it is overdue.
- ``complaints``: 1 per complaint received in the past year, unless found not upheld or withdrawn.
- ``accidents``: each accident at work in the past 3 years, ``1 + 3 × deaths + serious injuries``, halved per year.
- ``last_visit``: years since the last visit, at most 5; never visited: 5.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, field_validator

from backend.config import RISK_COMPONENTS
from backend.planning import texts

COMPONENTS = RISK_COMPONENTS
SEVERITY_POINTS = {"critical": 3.0, "major": 2.0, "minor": 1.0}
LOOKBACK_DAYS = 3 * 365
HALF_LIFE_DAYS = 365
MAX_YEARS = 5.0


@dataclass
class RiskInputs:
    hazard: int  # 1..3, ``sectors.hazard``
    workers: int
    violations: list[tuple[str, date]] = field(default_factory=list)  # (severity, visit date)
    open_orders: int = 0
    overdue_orders: int = 0
    complaints: int = 0
    accidents: list[tuple[int, int, date]] = field(default_factory=list)  # (deaths, serious, date)
    last_visit: date | None = None


class Component(BaseModel):
    name: str
    label: dict[str, str] = {}  # the component's name, {en, zh}
    rule: dict[str, str] = {}  # how its points are computed, {en, zh}
    basis: dict[str, str]  # what the points were computed from, {en, zh}
    points: float
    weight: float
    contribution: float

    @field_validator("basis", mode="before")
    @classmethod
    def _legacy_basis(cls, value: Any) -> Any:
        return texts.legacy(value) if isinstance(value, str) else value

    def model_post_init(self, context: Any) -> None:
        # Components stored with a plan before the texts were bilingual lack the name and rule: the same now.
        self.label = self.label or texts.LABELS.get(self.name, texts.legacy(self.name))
        self.rule = self.rule or texts.RULES.get(self.name, texts.legacy(""))


class RiskScore(BaseModel):
    score: float
    components: list[Component]


def _decay(on: date, as_of: date) -> float:
    return 0.5 ** (max(0, (as_of - on).days) / HALF_LIFE_DAYS)


def points(inputs: RiskInputs, as_of: date) -> dict[str, tuple[float, dict[str, str]]]:
    recent = [(s, d) for s, d in inputs.violations if 0 <= (as_of - d).days <= LOOKBACK_DAYS]
    accidents = [(x, s, d) for x, s, d in inputs.accidents if 0 <= (as_of - d).days <= LOOKBACK_DAYS]
    years = MAX_YEARS if inputs.last_visit is None else min(MAX_YEARS, (as_of - inputs.last_visit).days / 365)
    b = texts.basis
    return {
        "sector": (float(inputs.hazard), b("sector", {"hazard": inputs.hazard})),
        "size": (min(3.0, math.log10(1 + inputs.workers)), b("size", {"workers": inputs.workers})),
        "violations": (
            sum(SEVERITY_POINTS[s] * _decay(d, as_of) for s, d in recent),
            b("violations", {"count": len(recent)}),
        ),
        "orders": (
            float(inputs.open_orders + 2 * inputs.overdue_orders),
            b("orders", {"open": inputs.open_orders, "overdue": inputs.overdue_orders}),
        ),
        "complaints": (float(inputs.complaints), b("complaints", {"count": inputs.complaints})),
        "accidents": (
            sum((1 + 3 * x + s) * _decay(d, as_of) for x, s, d in accidents),
            b("accidents", {"count": len(accidents)}),
        ),
        "last_visit": (max(0.0, years), b("last_visit", {"last": inputs.last_visit})),
    }


def score(inputs: RiskInputs, as_of: date, weights: dict[str, float]) -> RiskScore:
    parts = []
    for name, (pts, basis) in points(inputs, as_of).items():
        weight = float(weights.get(name, 1.0))
        text = {"label": texts.LABELS[name], "rule": texts.RULES[name], "basis": basis}
        rounded = {"points": round(pts, 4), "contribution": round(pts * weight, 4)}
        parts.append(Component(name=name, weight=weight, **text, **rounded))
    return RiskScore(score=round(sum(c.contribution for c in parts), 4), components=parts)

"""The PWA's port of Applicability.holds decides exactly as backend/checklists/definition.py does."""

import itertools

from backend.checklists.definition import Applicability, EstablishmentProfile

RULES = [
    {},
    {"sectors": ["C"]},
    {"sectors": ["F", "B"]},
    {"sectors": ["14"]},
    {"sectors": ["1410"], "exclude_sectors": ["141"]},
    {"exclude_sectors": ["Q"]},
    {"min_workers": 50},
    {"max_workers": 50},
    {"min_workers": 10, "max_workers": 100},
    {"employs_women": True},
    {"employs_women": False},
    {"employs_under_18": True},
    {"employs_under_18": False},
    {"sectors": ["A"], "employs_under_18": True, "min_workers": 1},
    {"uses_hazardous_chemicals": True},
    {"uses_hazardous_chemicals": False},
    {"underground": True},
    {"underground": False, "sectors": ["B"], "exclude_sectors": ["0910"]},
    {"min_union_members": 25},
]
PROFILES = [
    {"isic": isic, "workers_total": total, "workers_women": women, "workers_under_18": young}
    for isic, total, women, young in itertools.product(
        ["1410", "4100", "0510", "8610", "C", "0113", "99", "0910"], [0, 10, 50, 120], [0, 5], [0, 2]
    )
] + [
    {"isic": "0510", "workers_total": 60, "workers_women": 0, "workers_under_18": 0, **extra}
    for extra in (
        {"uses_hazardous_chemicals": True},
        {"has_underground_work": True, "union_members": 24},
        {"has_underground_work": False, "union_members": 25, "uses_hazardous_chemicals": False},
        {"union_members": 60, "has_underground_work": True, "uses_hazardous_chemicals": True},
    )
]  # a profile without the new attributes (pulled before the server had them) reads them as false / 0


def test_applicability_port_matches_the_backend(tablet):
    page = tablet().new_page()
    page.goto("/")
    page.wait_for_function("window.__li !== undefined")
    cases = [(rule, profile) for rule in RULES for profile in PROFILES]
    got = page.evaluate("(cases) => cases.map(([r, p]) => window.__li.holds(r, p))", cases)
    expected = [Applicability(**rule).holds(EstablishmentProfile(**profile)) for rule, profile in cases]
    assert got == expected
    assert any(expected) and not all(expected)

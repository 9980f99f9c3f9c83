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
]
PROFILES = [
    {"isic": isic, "workers_total": total, "workers_women": women, "workers_under_18": young}
    for isic, total, women, young in itertools.product(
        ["1410", "4100", "0510", "8610", "C", "0113", "99"], [0, 10, 50, 120], [0, 5], [0, 2]
    )
]


def test_applicability_port_matches_the_backend(tablet):
    page = tablet().new_page()
    page.goto("/")
    page.wait_for_function("window.__li !== undefined")
    cases = [(rule, profile) for rule in RULES for profile in PROFILES]
    got = page.evaluate("(cases) => cases.map(([r, p]) => window.__li.holds(r, p))", cases)
    expected = [Applicability(**rule).holds(EstablishmentProfile(**profile)) for rule, profile in cases]
    assert got == expected
    assert any(expected) and not all(expected)

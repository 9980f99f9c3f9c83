"""Which checklists and items apply to sample establishment profiles."""

from pathlib import Path

import pytest

from backend.checklists.definition import EstablishmentProfile
from backend.checklists.loader import Library, load_library

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"
SECTOR_CHECKLISTS = {"construction", "mines", "agriculture", "chemicals"}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(CHECKLISTS)


def profile(isic: str, total: int = 200, women: int = 120, under_18: int = 0) -> EstablishmentProfile:
    return EstablishmentProfile(isic=isic, workers_total=total, workers_women=women, workers_under_18=under_18)


def test_garment_factory_gets_no_mining_or_construction_items(library: Library) -> None:
    applicable = library.applicable(profile("1410"))
    assert not SECTOR_CHECKLISTS & applicable.keys()
    assert {"general-administration", "wages", "working-time", "osh-management"} <= applicable.keys()
    ids = {item.id for items in applicable.values() for item in items}
    assert not any(i.startswith(("con.", "mn.")) for i in ids)


def test_building_site_gets_construction_items(library: Library) -> None:
    applicable = library.applicable(profile("4100", women=0))
    assert "construction" in applicable
    assert len(applicable["construction"]) == len(library.get("construction").items())  # type: ignore[union-attr]
    assert not {"mines", "agriculture", "chemicals"} & applicable.keys()


def test_mine_gets_the_mines_checklist(library: Library) -> None:
    applicable = library.applicable(profile("0510", women=0))
    assert "mines" in applicable
    assert "construction" not in applicable


def test_farm_and_chemical_plant(library: Library) -> None:
    assert "agriculture" in library.applicable(profile("0111"))
    chemical = EstablishmentProfile(isic="2410", workers_total=50, uses_hazardous_chemicals=True)
    assert "chemicals" in library.applicable(chemical)  # by the attribute, whatever the sector
    assert "chemicals" not in library.applicable(profile("2011"))  # a chemicals ISIC code alone is not enough


def test_young_worker_items_only_when_under_18s_are_employed(library: Library) -> None:
    without = {i.id for i in library.applicable(profile("1410"))["child-labour"]}
    with_young = {i.id for i in library.applicable(profile("1410", under_18=3))["child-labour"]}
    young_items = {i.id for i in library.get("child-labour").items() if i.id.startswith("cl.yw.")}  # type: ignore[union-attr]
    assert young_items
    assert not young_items & without
    assert young_items <= with_young
    assert "cl.age.01" in without  # looking for children applies everywhere


def test_maternity_items_only_when_women_are_employed(library: Library) -> None:
    no_women = {i.id for i in library.applicable(profile("4100", women=0))["equality-maternity-harassment"]}
    women = {i.id for i in library.applicable(profile("4100", women=5))["equality-maternity-harassment"]}
    assert "eq.mat.02" in women
    assert "eq.mat.02" not in no_women
    assert "eq.pay.01" in no_women


def test_size_thresholds(library: Library) -> None:
    def foa(members: int) -> set[str]:
        shop = EstablishmentProfile(isic="4711", workers_total=80, workers_women=4, union_members=members)
        return {i.id for i in library.applicable(shop)["freedom-of-association"]}

    assert "foa.org.02" not in foa(24)  # the union committee threshold is 25 union members, not 25 workers
    assert "foa.org.02" in foa(25)


def test_establishment_attribute_clauses() -> None:
    from backend.checklists.definition import Applicability

    plain = EstablishmentProfile(isic="1410")
    chemical = EstablishmentProfile(isic="1410", uses_hazardous_chemicals=True)
    mine = EstablishmentProfile(isic="0510", has_underground_work=True)
    unionised = EstablishmentProfile(isic="1410", union_members=25)
    uses = Applicability(uses_hazardous_chemicals=True)
    assert uses.holds(chemical) and not uses.holds(plain)
    assert Applicability(uses_hazardous_chemicals=False).holds(plain)
    assert Applicability(underground=True).holds(mine) and not Applicability(underground=True).holds(plain)
    assert Applicability(underground=False).holds(plain) and not Applicability(underground=False).holds(mine)
    threshold = Applicability(min_union_members=25)
    assert threshold.holds(unionised) and not threshold.holds(EstablishmentProfile(isic="1410", union_members=24))


def test_registry_tells_binding_citations_from_benchmarks(library: Library) -> None:
    from backend.checklists.definition import LegalBasis

    registry = library.registry
    assert registry.binds(LegalBasis(instrument="CN-LL", article="36"))
    assert registry.binds(LegalBasis(instrument="C138", article="2(3)"))
    assert registry.is_benchmark(LegalBasis(instrument="C81", article="3"))
    assert not registry.binds(LegalBasis(instrument="C81", article="3"))
    assert not registry.binds(LegalBasis(instrument="NOPE", article="1"))

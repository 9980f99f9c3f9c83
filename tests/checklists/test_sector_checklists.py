"""The OSH and sector checklists (osh-management, construction, mines, agriculture): who enforces them, which
establishments they reach, and the national provisions their orders rest on (issue 15)."""

from pathlib import Path

import pytest

from backend.checklists.definition import Authority, EstablishmentProfile, MeasureType
from backend.checklists.loader import Library, load_library

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"
KEYS = ("osh-management", "construction", "mines", "agriculture")
# The articles that let an authority stop work or the use of equipment: WSL 65 (withdrawal and suspension for a
# major hidden hazard), MSL Implementing Regulations 44 (mine inspectors stop work in an emergency), CPSR 43
# (construction: withdrawal or suspension of work), SESL 84 (stop use of uninspected special equipment), MSL 40 and
# 41 (mines: suspension decided by the county government for untrained workers and uncertified special operators).
STOP_WORK_ARTICLES = {
    ("CN-WSL", "65"),
    ("CN-MSLIR", "44"),
    ("CN-CPSR", "43"),
    ("CN-SESL", "84"),
    ("CN-MSL", "40"),
    ("CN-MSL", "41"),
}
UNDERGROUND_ONLY = {"mn.des.01", "mn.atm.01", "mn.ops.01", "mn.ops.04", "mn.ops.06"}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(CHECKLISTS)


def cites(library: Library, item_id: str) -> set[tuple[str, str]]:
    item = next(i for key in KEYS for i in library.get(key).items() if i.id == item_id)  # type: ignore[union-attr]
    return {(b.instrument, b.article) for b in item.legal_basis}


def test_fishing_is_not_agriculture(library: Library) -> None:
    for fishing in ("0311", "0321"):
        assert "agriculture" not in library.applicable(EstablishmentProfile(isic=fishing))
    for farm_or_forest in ("0111", "0141", "0210"):
        assert "agriculture" in library.applicable(EstablishmentProfile(isic=farm_or_forest))


def test_oil_and_gas_are_not_mines(library: Library) -> None:
    for oil_gas in ("0610", "0620", "0910"):
        assert "mines" not in library.applicable(EstablishmentProfile(isic=oil_gas, has_underground_work=True))
    for mine in ("0510", "0710", "0810", "0990"):
        assert "mines" in library.applicable(EstablishmentProfile(isic=mine))


def test_underground_items_only_where_there_is_underground_work(library: Library) -> None:
    surface = {i.id for i in library.applicable(EstablishmentProfile(isic="0810"))["mines"]}
    coal_pit = EstablishmentProfile(isic="0510", has_underground_work=True)
    underground = {i.id for i in library.applicable(coal_pit)["mines"]}
    assert not UNDERGROUND_ONLY & surface
    assert underground >= UNDERGROUND_ONLY
    assert {"mn.des.02", "mn.atm.02", "mn.emg.03"} <= surface  # ground control, gas and accident reports: both


def test_authorities(library: Library) -> None:
    defaults = {key: library.get(key).authority for key in KEYS}  # type: ignore[union-attr]
    assert defaults == {
        "osh-management": Authority.work_safety,
        "construction": Authority.construction,
        "mines": Authority.mine_safety,
        "agriculture": Authority.work_safety,
    }
    by_id = {i.id: i.authority_in(c) for c in map(library.get, KEYS) if c for i in c.items()}
    assert by_id["osh.eq.06"] == by_id["osh.trn.06"] == Authority.special_equipment
    assert by_id["osh.od.03"] == by_id["mn.emg.04"] == by_id["con.hw.01"] == Authority.health
    assert {by_id[i] for i in by_id if i.startswith("con.wg.")} == {Authority.labour_inspection}
    assert by_id["mn.ops.04"] == by_id["ag.wk.01"] == Authority.labour_inspection
    assert by_id["con.eq.01"] == Authority.construction  # site cranes: SESL Art. 100(2) leaves them to construction


def test_corrected_citations(library: Library) -> None:
    for item in ("osh.eq.06", "con.eq.01"):
        assert {("CN-SESL", "33"), ("CN-SESL", "40")} <= cites(library, item)
        assert not {("CN-WSL", "30"), ("CN-WSL", "36")} & cites(library, item)
    assert ("CN-MSL", "27") in cites(library, "mn.ops.02")
    assert ("CN-MSL", "20") not in cites(library, "mn.ops.02")
    assert ("CN-CL", "134-1") in cites(library, "mn.atm.02")


def test_every_stop_work_rests_on_an_article_providing_it(library: Library) -> None:
    for key in KEYS:
        for item in library.get(key).items():  # type: ignore[union-attr]
            if item.measure.type == MeasureType.stop_work:
                basis = {(b.instrument, b.article) for b in item.legal_basis}
                assert basis & STOP_WORK_ARTICLES, item.id


def test_no_inspector_conduct_items_and_no_inspection_powers_as_duties(library: Library) -> None:
    ids = {i.id for key in KEYS for i in library.get(key).items()}  # type: ignore[union-attr]
    assert not {i for i in ids if i.startswith("ag.ins.")}
    for key in KEYS:
        for item in library.get(key).items():  # type: ignore[union-attr]
            assert all(b.instrument != "C81" for b in item.legal_basis), item.id

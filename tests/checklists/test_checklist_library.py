"""The shipped checklist library: every file loads and meets the content rules."""

import re
from pathlib import Path

import pytest

from backend.checklists.definition import Checklist, Text
from backend.checklists.loader import Library, checklist_files, load_library

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"
REQUIRED_INSTRUMENTS = [
    "C81",
    "C129",
    "C138",
    "C182",
    "C29",
    "P29",
    "C105",
    "C87",
    "C98",
    "C100",
    "C111",
    "C183",
    "C190",
    "C95",
    "C131",
    "C26",
    "C1",
    "C30",
    "C14",
    "C106",
    "C132",
    "C155",
    "P155",
    "C187",
    "C167",
    "C176",
    "C184",
    "C170",
    "C102",
    "C121",
]
REQUIRED_CHECKLISTS = [
    "general-administration",
    "child-labour",
    "forced-labour",
    "freedom-of-association",
    "equality-maternity-harassment",
    "wages",
    "working-time",
    "contracts",
    "osh-management",
    "construction",
    "mines",
    "agriculture",
    "chemicals",
    "social-security",
]
CJK = r"[\u3000-\u9fff\uff00-\uffef]"
HAS_CJK = re.compile(CJK)
SPACE_BETWEEN_CJK = re.compile(f"{CJK} +{CJK}")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(CHECKLISTS)


def texts(checklist: Checklist) -> list[tuple[str, Text]]:
    found = [("title", checklist.title), ("description", checklist.description)]
    for section in checklist.sections:
        found.append((section.id, section.title))
        for item in section.items:
            found += [(item.id, item.text), (f"{item.id}.guidance", item.guidance)]
            found += [(f"{item.id}.choice", choice) for choice in item.choices]
    return found


def test_every_file_loads(library: Library) -> None:
    assert [p.stem for p in checklist_files(CHECKLISTS)] == library.keys()
    assert sorted(REQUIRED_CHECKLISTS) == library.keys()


def test_every_checklist_version_is_in_the_lock_with_its_history(library: Library) -> None:
    """Versions start at 1 and go up one at a time; the lock holds each one (published versions are immutable)."""
    from backend.checklists.lock import LOCK_FILE, read_lock

    lock = read_lock(CHECKLISTS / LOCK_FILE)
    for checklist in library.checklists:
        assert sorted(lock[checklist.key]) == list(range(1, checklist.version + 1)), checklist.key


def test_library_has_at_least_250_items(library: Library) -> None:
    assert sum(len(c.items()) for c in library.checklists) >= 250


def test_every_item_has_both_languages_and_a_legal_basis(library: Library) -> None:
    for checklist in library.checklists:
        for item in checklist.items():
            assert item.text.en.strip() and item.text.zh.strip(), item.id
            assert item.guidance.en.strip() and item.guidance.zh.strip(), item.id
            assert item.legal_basis, item.id
            assert all(library.registry.article_exists(b) for b in item.legal_basis), item.id


def test_chinese_texts_are_chinese_and_english_texts_are_not(library: Library) -> None:
    for checklist in library.checklists:
        for where, text in texts(checklist):
            assert HAS_CJK.search(text.zh), f"{checklist.key} {where}: zh has no Chinese"
            assert not HAS_CJK.search(text.en), f"{checklist.key} {where}: en contains Chinese"
            assert not SPACE_BETWEEN_CJK.search(text.zh), f"{checklist.key} {where}: stray space in zh"


def test_item_ids_are_unique_and_prefixed_by_their_section(library: Library) -> None:
    seen: set[str] = set()
    for checklist in library.checklists:
        for section in checklist.sections:
            for item in section.items:
                assert item.id.startswith(section.id + "."), item.id
                assert item.id not in seen, item.id
                seen.add(item.id)


def test_every_required_instrument_is_registered_and_cited(library: Library) -> None:
    registered = {i.code for i in library.registry.instruments}
    cited = {b.instrument for c in library.checklists for item in c.items() for b in item.legal_basis}
    assert set(REQUIRED_INSTRUMENTS) <= registered
    assert set(REQUIRED_INSTRUMENTS) - cited == set()


def test_every_checklist_cites_ilo_and_national_law(library: Library) -> None:
    kinds = {i.code: i.kind for i in library.registry.instruments}
    for checklist in library.checklists:
        cited_kinds = {kinds[b.instrument] for item in checklist.items() for b in item.legal_basis}
        assert cited_kinds & {"ilo_convention", "ilo_protocol"}, checklist.key
        assert cited_kinds & {"national_law", "national_regulation"}, checklist.key


def test_ratification_facts(library: Library) -> None:
    ratified = {i.code: i.ratified_by_china for i in library.registry.instruments}
    assert ratified["C138"] == "1999-04-28"
    assert ratified["C29"] == ratified["C105"] == "2022-08-12"
    for code in ("C81", "C129", "C87", "C98", "C187", "C183", "C190", "C95", "C131", "P29", "P155"):
        assert ratified[code] is None, code

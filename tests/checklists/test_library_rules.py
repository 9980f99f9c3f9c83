"""The legal rules of issue 15, enforced on every checklist file of the library (one test per rule and file).

A rule names the file that breaks it, so each owner sees their own failures. The rules: an item that can ground an
order has a national basis; an item resting only on benchmarks (ILO instruments China has not ratified) is advice
and never a penalty; a penalty item cites an article that provides an administrative penalty; every item has an
enforcing authority; C81 Art. 12 is never cited; Chinese questions are phrased positively and use one terminology;
applicability follows the establishment's attributes (chemicals, underground work, union members) and sectors.
"""

import re
from pathlib import Path

import pytest

from backend.checklists.definition import Checklist, EstablishmentProfile, Item, MeasureType, Registry
from backend.checklists.loader import Library, checklist_files, load_library

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"
KEYS = [path.stem for path in checklist_files(CHECKLISTS)]
ORDER_MEASURES = {MeasureType.order_to_rectify, MeasureType.stop_work, MeasureType.penalty, MeasureType.warning}

# Negative question forms the issue asks to rephrase as what the employer does.
NEGATIVE_QUESTION = re.compile(r"是否(?:不存在|没有)|从未")
# One terminology in the Chinese of the checklists (national-law terms): the employer is 用人单位, the worker
# 劳动者 (职工 where a statute says so, as in 职工名册 or 女职工), the inspector 劳动保障监察员, an accident at work
# 生产安全事故. 雇主 and 工人 are the ILO conventions' words; they are not used in the checklists' own text
# (quoting a convention title is the registry's job, not an item's).
TERMINOLOGY: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"雇主"), "用人单位"),
    (re.compile(r"(?<![农务职员施用])工人(?![员数])"), "劳动者"),
    (re.compile(r"(?<!劳动保障)监察员"), "劳动保障监察员"),
    (re.compile(r"(?<!生产)安全事故"), "生产安全事故"),
    (re.compile(r"女工(?!作)"), "女职工"),
]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(CHECKLISTS)


def _checklist(library: Library, key: str) -> Checklist:
    checklist = library.get(key)
    assert checklist is not None
    return checklist


def _texts(checklist: Checklist) -> list[tuple[str, str]]:
    """(where, Chinese text) of every user-facing Chinese string of a checklist."""
    out = [("title", checklist.title.zh), ("description", checklist.description.zh)]
    for section in checklist.sections:
        out.append((section.id, section.title.zh))
        for item in section.items:
            out += [(f"{item.id}.text", item.text.zh), (f"{item.id}.guidance", item.guidance.zh)]
            out += [(f"{item.id}.choices", c.zh) for c in item.choices]
    return out


def _national(registry: Registry, item: Item) -> bool:
    return any(registry.is_national(b) for b in item.legal_basis)


@pytest.mark.parametrize("key", KEYS)
def test_items_that_can_ground_an_order_have_a_national_basis(library: Library, key: str) -> None:
    checklist = _checklist(library, key)
    bad = [i.id for i in checklist.items() if i.measure.type in ORDER_MEASURES and not _national(library.registry, i)]
    assert bad == [], f"{key}.yaml: items with measure order/stop-work/penalty/warning but no national citation"


@pytest.mark.parametrize("key", KEYS)
def test_items_resting_only_on_benchmarks_are_advice(library: Library, key: str) -> None:
    checklist = _checklist(library, key)
    bad = [
        f"{i.id} ({i.measure.type})"
        for i in checklist.items()
        if library.registry.rests_only_on_benchmarks(i) and i.measure.type != MeasureType.advice
    ]
    assert bad == [], f"{key}.yaml: items citing only unratified ILO instruments must have measure advice"


@pytest.mark.parametrize("key", KEYS)
def test_penalty_items_cite_a_penalty_article(library: Library, key: str) -> None:
    checklist = _checklist(library, key)
    bad = [
        i.id
        for i in checklist.items()
        if i.measure.type == MeasureType.penalty and not any(library.registry.is_penalty(b) for b in i.legal_basis)
    ]
    assert bad == [], f"{key}.yaml: penalty items citing no article marked penalty: true in instruments.yaml"


@pytest.mark.parametrize("key", KEYS)
def test_every_item_has_an_authority(library: Library, key: str) -> None:
    checklist = _checklist(library, key)
    bad = [i.id for i in checklist.items() if i.authority_in(checklist) is None]
    assert bad == [], f"{key}.yaml: no checklist-level authority and no item-level one"


@pytest.mark.parametrize("key", KEYS)
def test_c81_article_12_is_never_cited(library: Library, key: str) -> None:
    checklist = _checklist(library, key)
    bad = [
        i.id
        for i in checklist.items()
        for b in i.legal_basis
        if b.instrument == "C81" and (b.article == "12" or b.article.startswith("12("))
    ]
    assert bad == [], f"{key}.yaml: C81 Art. 12 is an inspector's power, not an employer's duty"


@pytest.mark.parametrize("key", KEYS)
def test_chinese_questions_are_phrased_positively(library: Library, key: str) -> None:
    checklist = _checklist(library, key)
    bad = [f"{i.id}: {i.text.zh}" for i in checklist.items() if NEGATIVE_QUESTION.search(i.text.zh)]
    assert bad == [], f"{key}.yaml: questions phrased negatively (是否不存在/是否没有/从未/没有)"


@pytest.mark.parametrize("key", KEYS)
def test_chinese_terminology(library: Library, key: str) -> None:
    checklist = _checklist(library, key)
    bad = [
        f"{where}: {match.group(0)} → {wanted}"
        for where, text in _texts(checklist)
        for pattern, wanted in TERMINOLOGY
        for match in pattern.finditer(text)
    ]
    assert bad == [], f"{key}.yaml: terms outside the one terminology"


def test_chemicals_apply_by_the_attribute_not_sectors(library: Library) -> None:
    chemicals = _checklist(library, "chemicals")
    rule = chemicals.applies_if
    assert rule is not None and rule.uses_hazardous_chemicals is True and rule.sectors == []
    chemical_plant = EstablishmentProfile(isic="2011", workers_total=50)
    garment_user = EstablishmentProfile(isic="1410", workers_total=50, uses_hazardous_chemicals=True)
    assert not chemicals.applies_to(chemical_plant)
    assert chemicals.applies_to(garment_user)


def test_oil_and_gas_support_services_get_no_mines_items(library: Library) -> None:
    applicable = library.applicable(EstablishmentProfile(isic="0910", workers_total=80, has_underground_work=True))
    assert "mines" not in applicable


def test_underground_items_apply_only_where_there_is_underground_work(library: Library) -> None:
    mines = _checklist(library, "mines")
    underground = [i.id for i in mines.items() if i.applies_if is not None and i.applies_if.underground is True]
    assert underground, "mines.yaml: no item distinguishes underground work (applies_if: {underground: true})"
    surface = EstablishmentProfile(isic="0810", workers_total=80, has_underground_work=False)
    applicable = {i.id for i in library.applicable(surface).get("mines", [])}
    assert not applicable & set(underground)


def test_fishing_gets_no_agriculture_items(library: Library) -> None:
    applicable = library.applicable(EstablishmentProfile(isic="0311", workers_total=30))
    assert "agriculture" not in applicable


def test_union_committee_threshold_is_25_union_members(library: Library) -> None:
    items = [i for c in library.checklists for i in c.items() if i.applies_if is not None]
    by_workers = [i.id for i in items if i.id.startswith("foa.") and i.applies_if.min_workers == 25]  # type: ignore[union-attr]
    assert by_workers == [], "the trade-union committee threshold counts union members (min_union_members: 25)"
    assert any(i.applies_if.min_union_members == 25 for i in items)  # type: ignore[union-attr]


def test_penalty_articles_are_national(library: Library) -> None:
    bad = [
        f"{i.code} {a.ref}" for i in library.registry.instruments for a in i.articles if a.penalty and not i.is_national
    ]
    assert bad == []


def test_registry_rules_on_sample_citations(library: Library) -> None:
    """The registry facts the rules rest on, as the statute texts and facts.md §2.1 give them."""
    from backend.checklists.definition import LegalBasis

    registry = library.registry
    assert registry.is_penalty(LegalBasis(instrument="CN-RLSS", article="25"))
    assert registry.is_penalty(LegalBasis(instrument="CN-LL", article="90"))
    assert not registry.is_penalty(LegalBasis(instrument="CN-LL", article="91"))  # orders payment: not a penalty
    assert not registry.is_penalty(LegalBasis(instrument="CN-LCL", article="44"))
    assert registry.is_penalty(LegalBasis(instrument="CN-SIL", article="84"))
    for code in ("C11", "C45", "C150", "C159", "C138", "C155"):
        assert registry.binds(LegalBasis(instrument=code, article="1")), code
    for code in ("C81", "C1", "C132", "C102", "C184"):
        assert registry.is_benchmark(LegalBasis(instrument=code, article="1")), code
    assert registry.article_exists(LegalBasis(instrument="CN-WH", article="3"))


@pytest.mark.parametrize("key", KEYS)
def test_minimum_wage_items_cite_the_minimum_wage_provisions(library: Library, key: str) -> None:
    """CN-MWP was the Minimum Wage Provisions until issue 15; it is now the Regulation on Guaranteeing Wage Payment
    for Migrant Workers, and the Minimum Wage Provisions are CN-MINW. An item on the minimum wage citing CN-MWP
    still means the old code."""
    checklist = _checklist(library, key)
    bad = [
        i.id
        for i in checklist.items()
        if "最低工资" in i.text.zh + i.guidance.zh
        and any(b.instrument == "CN-MWP" for b in i.legal_basis)
        and not any(w in i.text.zh + i.guidance.zh for w in ("农民工", "工资支付台账", "实名"))
    ]
    assert bad == [], f"{key}.yaml: minimum-wage items citing CN-MWP (now migrant workers' wages): use CN-MINW"

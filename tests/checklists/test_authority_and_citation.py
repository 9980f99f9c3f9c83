"""The measure an inspectorate can take on an item, and the official citation form (one implementation)."""
# ruff: noqa: E501  (the registry fixture and the citation vectors read best one per line)

import pytest

from backend.checklists.authority import offered_measure, parse_authorities
from backend.checklists.citation import citation_line, format_citation, zh_number
from backend.checklists.definition import Authority, Checklist, LegalBasis, MeasureType, Registry

REGISTRY = Registry.model_validate(
    {
        "instruments": [
            {"code": "C138", "kind": "ilo_convention", "adopted": 1973, "ratified_by_china": "1999-04-28",
             "title": {"en": "Minimum Age Convention, 1973", "zh": "准予就业最低年龄公约"}, "articles": [{"ref": "2"}]},
            {"code": "C81", "kind": "ilo_convention", "adopted": 1947,
             "title": {"en": "Labour Inspection Convention, 1947", "zh": "1947年劳动监察公约"}, "articles": [{"ref": "3"}]},
            {"code": "P29", "kind": "ilo_protocol", "adopted": 2014,
             "title": {"en": "Protocol of 2014 to the Forced Labour Convention, 1930", "zh": "1930年强迫劳动公约2014年议定书"},
             "articles": [{"ref": "2"}]},
            {"code": "CN-LL", "kind": "national_law", "adopted": 1994,
             "title": {"en": "Labour Law of the People's Republic of China", "zh": "中华人民共和国劳动法"},
             "articles": [{"ref": "36"}, {"ref": "90", "penalty": True}]},
            {"code": "CN-LCL", "kind": "national_law", "adopted": 2007,
             "title": {"en": "Labour Contract Law of the People's Republic of China", "zh": "中华人民共和国劳动合同法"},
             "articles": [{"ref": "26"}]},
            {"code": "CN-CL", "kind": "national_law", "adopted": 1997,
             "title": {"en": "Criminal Law of the People's Republic of China", "zh": "中华人民共和国刑法"},
             "articles": [{"ref": "244-1"}]},
        ]
    }
)  # fmt: skip

# (instrument, article) -> (zh, en): the vectors of the official form.
VECTORS = [
    ("CN-LL", "36", "《中华人民共和国劳动法》第三十六条", "Labour Law of the PRC, Art. 36"),
    ("C138", "2(3)", "第138号公约第二条第三款", "ILO Convention No. 138, Art. 2(3)"),
    ("CN-LCL", "26(1)(ii)", "《中华人民共和国劳动合同法》第二十六条第一款第（二）项", "Labour Contract Law of the PRC, Art. 26(1)(ii)"),
    ("CN-CL", "244-1", "《中华人民共和国刑法》第二百四十四条之一", "Criminal Law of the PRC, Art. 244-1"),
    ("C81", "3", "第81号公约第三条（参照标准）", "ILO Convention No. 81, Art. 3 (benchmark)"),
    ("P29", "2", "《1930年强迫劳动公约2014年议定书》第二条（参照标准）",
     "Protocol of 2014 to the Forced Labour Convention, 1930, Art. 2 (benchmark)"),
    ("XX", "5", "XX第五条", "XX, Art. 5"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "article", "zh", "en"), VECTORS)
def test_official_citation_form(code: str, article: str, zh: str, en: str) -> None:
    citation = format_citation(LegalBasis(instrument=code, article=article), REGISTRY)
    assert citation_line(citation, "zh") == zh
    assert citation_line(citation, "en") == en
    assert citation.benchmark == (code in ("C81", "P29"))


def test_chinese_numbers() -> None:
    cases = {1: "一", 10: "十", 11: "十一", 20: "二十", 36: "三十六", 100: "一百", 101: "一百零一", 110: "一百一十"}
    assert {n: zh_number(n) for n in cases} == cases
    assert zh_number(244) == "二百四十四" and zh_number(1005) == "一千零五"


def _checklist(authority: str | None, item_authority: str | None, measure: str) -> Checklist:
    item = {
        "id": "x.a.01", "text": {"en": "Q?", "zh": "问？"}, "guidance": {"en": "G", "zh": "指"},
        "legal_basis": [{"instrument": "CN-LL", "article": "90"}], "verification": ["documents"],
        "severity": "major", "evidence_required": False, "measure": {"type": measure, "deadline_days": None},
        "authority": item_authority,
    }  # fmt: skip
    return Checklist.model_validate(
        {"key": "xx", "version": 1, "title": {"en": "X", "zh": "X"}, "description": {"en": "X", "zh": "X"},
         "authority": authority, "sections": [{"id": "x.a", "title": {"en": "A", "zh": "A"}, "items": [item]}]}
    )  # fmt: skip


LABOUR = frozenset({Authority.labour_inspection})


def test_stop_work_on_another_authoritys_item_is_a_referral() -> None:
    checklist = _checklist("labour_inspection", "work_safety", "stop_work")
    offered = offered_measure(checklist.items()[0], checklist, LABOUR)
    assert offered.type == MeasureType.referral and offered.usual == MeasureType.stop_work
    assert offered.authority == Authority.work_safety
    assert offered.referral_to is not None and "应急管理" in offered.referral_to.zh
    both = LABOUR | {Authority.work_safety}
    assert offered_measure(checklist.items()[0], checklist, both).type == MeasureType.stop_work


def test_item_inherits_the_checklist_authority() -> None:
    checklist = _checklist("health", None, "penalty")
    offered = offered_measure(checklist.items()[0], checklist, LABOUR)
    assert offered.type == MeasureType.referral and offered.authority == Authority.health


def test_own_authority_and_orders_keep_the_usual_measure() -> None:
    own = _checklist("labour_inspection", None, "penalty")
    assert offered_measure(own.items()[0], own, LABOUR).type == MeasureType.penalty
    order = _checklist("work_safety", None, "advice")
    assert offered_measure(order.items()[0], order, LABOUR).type == MeasureType.advice


def test_parse_authorities() -> None:
    assert parse_authorities(" labour_inspection , work_safety") == {Authority.labour_inspection, Authority.work_safety}
    with pytest.raises(ValueError, match="known: construction"):
        parse_authorities("labour_inspection,police")
    with pytest.raises(ValueError):
        parse_authorities("")

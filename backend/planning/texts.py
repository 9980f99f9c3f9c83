"""The planning texts a user reads, in English and Chinese: each risk component's name, the rule its points follow
(``RULES``, as ``risk``'s docstring states it) and the basis of one score's points (``basis``), from the facts."""

from datetime import date

Text = dict[str, str]

LABELS: dict[str, Text] = {
    "sector": {"en": "Sector hazard", "zh": "行业危险程度"},
    "size": {"en": "Size", "zh": "规模"},
    "violations": {"en": "Past violations", "zh": "违法记录"},
    "orders": {"en": "Open and overdue measures", "zh": "未完成及逾期的整改措施"},
    "complaints": {"en": "Complaints", "zh": "投诉"},
    "accidents": {"en": "Accidents", "zh": "事故"},
    "last_visit": {"en": "Time since the last visit", "zh": "距上次检查时间"},
}

RULES: dict[str, Text] = {
    "sector": {
        "en": "Hazard of the ISIC activity: 3 for mining, construction and heavy or chemical manufacturing; 2 for "
        "agriculture, other manufacturing, energy, water and transport; 1 for the rest.",
        "zh": "按ISIC行业活动的危险程度：采矿、建筑及重化工制造计3分；"
        "农业、其他制造业、能源、水务和运输计2分；其余计1分。",
    },
    "size": {
        "en": "Workers on a log scale: log10(1 + workers), at most 3 (1,000 workers or more).",
        "zh": "按职工人数的对数计分：log10(1 + 人数)，最高3分（1000人及以上）。",
    },
    "violations": {
        "en": "Each non-compliant finding of a visit in the past 3 years: critical 3, major 2, minor 1, decaying "
        "continuously with time since the visit: worth half after one year, a quarter after two.",
        "zh": "近3年检查中的每项不合规：严重3分、较重2分、轻微1分，"
        "随距该次检查的时间连续递减：满一年时为一半，满两年时为四分之一。",
    },
    "orders": {
        "en": "1 per open enforcement measure, 2 more if it is overdue.",
        "zh": "每项未完成的执法措施计1分，逾期的再加2分。",
    },
    "complaints": {
        "en": "1 per complaint received in the past year, unless found not upheld or withdrawn.",
        "zh": "近一年受理的每件投诉计1分，经查不属实或已撤回的除外。",
    },
    "accidents": {
        "en": "Each accident at work in the past 3 years: 1 + 3 × deaths + serious injuries, decaying "
        "continuously: half after one year.",
        "zh": "近3年的每起工作事故：1 + 3 × 死亡人数 + 重伤人数，随时间连续递减：满一年时为一半。",
    },
    "last_visit": {
        "en": "Years since the last visit, at most 5; never visited: 5.",
        "zh": "距上次检查的年数，最高5分；从未检查：5分。",
    },
}


def basis(name: str, facts: dict[str, int | date | None]) -> Text:
    """What one component's points were computed from, in both languages."""
    f = facts
    if name == "sector":
        return {"en": f"hazard {f['hazard']} of 3", "zh": f"危险等级 {f['hazard']}（满分3）"}
    if name == "size":
        return {"en": f"{f['workers']} workers", "zh": f"职工 {f['workers']} 人"}
    if name == "violations":
        return {"en": f"{f['count']} non-compliant findings in 3 years", "zh": f"近3年不合规 {f['count']} 项"}
    if name == "orders":
        return {
            "en": f"{f['open']} open measures, {f['overdue']} overdue",
            "zh": f"未完成措施 {f['open']} 项，其中逾期 {f['overdue']} 项",
        }
    if name == "complaints":
        return {"en": f"{f['count']} complaints in the past year", "zh": f"近一年投诉 {f['count']} 件"}
    if name == "accidents":
        return {"en": f"{f['count']} accidents in 3 years", "zh": f"近3年事故 {f['count']} 起"}
    last = f.get("last")
    if not isinstance(last, date):
        return {"en": "never visited", "zh": "从未检查"}
    return {"en": f"last visited {last.isoformat()}", "zh": f"上次检查于 {last.isoformat()}"}


def legacy(text: str) -> Text:
    """A basis stored in English only (plans built before the texts were bilingual), shown as it was."""
    return {"en": text, "zh": text}

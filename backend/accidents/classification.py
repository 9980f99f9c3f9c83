"""The class of a production safety accident, computed from its deaths, serious injuries (acute industrial
poisoning included) and direct economic loss: 《生产安全事故报告和调查处理条例》第三条 (2007). "以上" includes the
number, "以下" excludes it, so each threshold is the first value of the higher class. The highest class any of
the three reaches is the accident's."""

from enum import StrEnum


class AccidentClass(StrEnum):
    general = "general"  # 一般事故
    larger = "larger"  # 较大事故
    major = "major"  # 重大事故
    especially_major = "especially_major"  # 特别重大事故


LABELS = {
    AccidentClass.general: {"en": "General accident", "zh": "一般事故"},
    AccidentClass.larger: {"en": "Larger accident", "zh": "较大事故"},
    AccidentClass.major: {"en": "Major accident", "zh": "重大事故"},
    AccidentClass.especially_major: {"en": "Especially major accident", "zh": "特别重大事故"},
}
CITATION = {
    "en": "Regulation on the Reporting, Investigation and Handling of Production Safety Accidents, Art. 3",
    "zh": "《生产安全事故报告和调查处理条例》第三条",
}

YUAN_10K = 10_000  # 万元
# (class, deaths from, serious injuries from, direct economic loss from, in yuan), highest first.
THRESHOLDS = (
    (AccidentClass.especially_major, 30, 100, 10_000 * YUAN_10K),  # 30人以上死亡 / 100人以上重伤 / 1亿元以上
    (AccidentClass.major, 10, 50, 5_000 * YUAN_10K),  # 10人以上30人以下 / 50人以上100人以下 / 5000万元以上1亿元以下
    (AccidentClass.larger, 3, 10, 1_000 * YUAN_10K),  # 3人以上10人以下 / 10人以上50人以下 / 1000万元以上5000万元以下
)


def classify(deaths: int, serious_injuries: int, direct_loss_yuan: int) -> AccidentClass:
    """The class of Art. 3; below every "larger" threshold (3 deaths, 10 serious injuries, 10 million yuan) an
    accident is general."""
    for cls, min_deaths, min_serious, min_loss in THRESHOLDS:
        if deaths >= min_deaths or serious_injuries >= min_serious or direct_loss_yuan >= min_loss:
            return cls
    return AccidentClass.general

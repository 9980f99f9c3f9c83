"""An official notice (order to rectify, penalty decision, stop-work, referral) as PDF in Chinese, English or both
side by side, printed from the content frozen when it was issued (``notices.content_of``) and its SHA-256: the
number, the inspectorate, the addressee, each violation with its question and provisions in the official citation
form, the measure with its deadline, a penalty's particulars, and how to verify the hash. It never says why the
visit took place (a complaint stays confidential).
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from backend.auth.models import User
from backend.checklists.definition import AUTHORITY_NAMES, Authority, MeasureType
from backend.checklists.render import MEASURE
from backend.enforcement.case_models import Notice, NoticeStatus
from backend.enforcement.models import EnforcementAction
from backend.inspections import findings
from backend.inspections.models import Inspection
from backend.orgs.models import OrgUnit
from backend.orgs.timezone import zone_of
from backend.pdfdoc import DocPDF


@dataclass(frozen=True)
class Bi:
    en: str
    zh: str


TITLES = {
    "order_to_rectify": Bi("Order to rectify", "劳动保障监察责令改正指令书"),
    "penalty_decision": Bi("Administrative penalty decision", "劳动保障监察行政处罚决定书"),
    "stop_work": Bi("Stop-work notice", "责令停止作业通知书"),
    "referral": Bi("Referral notice", "案件移送通知书"),
}
L = {
    "number": Bi("Notice No.", "文书编号"),
    "to": Bi("To", "被通知单位"),
    "registration": Bi("Registration number", "统一社会信用代码（登记号码）"),
    "visit": Bi("Inspection of", "检查日期"),
    "found": Bi("The inspection found the following violations:", "经检查，发现你单位存在下列违法行为："),
    "basis": Bi("Legal basis", "法律依据"),
    "measure": Bi("Measure", "处理措施"),
    "deadline": Bi("Rectify by", "改正期限"),
    "penalty": Bi("Penalty", "罚款金额"),
    "penalty_basis": Bi("Basis of the penalty", "处罚依据"),
    "decision": Bi("Decision No.", "决定书编号"),
    "referral": Bi("Referred to", "移送机关"),
    "remedy": Bi(
        "If you disagree with this decision you may apply for administrative reconsideration or bring an "
        "administrative lawsuit in accordance with the law.",
        "如不服本决定，可以依法申请行政复议或者提起行政诉讼。",
    ),
    "issued": Bi("Issued", "签发日期"),
    "by": Bi("by", "签发人"),
    "voided": Bi("VOIDED — this number was spoiled and is not in force", "已作废——本编号作废，不具效力"),
    "hash": Bi("SHA-256 of the notice as issued", "文书签发内容的SHA-256值"),
    "verify": Bi(
        "To verify: the inspectorate keeps this notice under its number and this SHA-256 of its content's canonical "
        "JSON (RFC 8785); ask it to confirm both.",
        "核验方法：监察机构按文书编号及其内容规范JSON（RFC 8785）的SHA-256值存档本文书，可请监察机构核对。",
    ),
}


def _money(minor: int | None, currency: str | None) -> str:
    if minor is None:
        return ""
    return f"{minor // 100:,}.{minor % 100:02d} {currency or 'CNY'}"


def _referral(value: str | None) -> Bi | None:
    if not value:
        return None
    names = {a.value: AUTHORITY_NAMES.get(a) for a in Authority}
    name = names.get(value)
    return Bi(name.en, name.zh) if name is not None else Bi(value.replace("_", " "), value)


def _questions(session: Session, action: EnforcementAction) -> dict[str, Bi]:
    out: dict[str, Bi] = {}
    for checklist in findings.pinned_definitions(session, action.inspection_id).values():
        for item in checklist.items():
            out[item.id] = Bi(item.text.en, item.text.zh)
    return out


def render(session: Session, notice: Notice, action: EnforcementAction, lang: str) -> bytes:
    """The notice's PDF in ``lang`` (``zh``, ``en`` or ``both``)."""
    content: dict[str, Any] = notice.content
    kind = notice.kind or action.measure.value
    title = TITLES.get(kind, Bi(kind, kind))
    zone = zone_of(session, notice.org_unit_id)
    unit = session.get(OrgUnit, notice.org_unit_id)
    inspection = session.get(Inspection, action.inspection_id)
    issuer = session.get(User, notice.issued_by)
    pdf = DocPDF(notice.number, title=title.zh if lang == "zh" else title.en, lang="en" if lang == "en" else "zh-CN",
                 mode=lang)  # fmt: skip
    pdf.add_page()

    def field(label: Bi, value: str, size: float = 10, style: str = "") -> None:
        if value:
            pdf.say(f"{label.en}: {value}", f"{label.zh}：{value}", size, style, height=5.5)

    if unit is not None:
        pdf.say(unit.name_en, unit.name_zh, 11, "B", height=6)
    pdf.say(title.en, title.zh, 16, "B", height=8)
    field(L["number"], notice.number, 11, "B")
    if notice.status == NoticeStatus.voided:
        pdf.say(L["voided"].en, L["voided"].zh, 11, "B", height=6)
        if notice.void_reason:
            pdf.para(notice.void_reason, 9.5)
    pdf.ln(2)
    establishment = content.get("establishment") or {}
    field(L["to"], str(establishment.get("name", "")), 10.5, "B")
    field(L["registration"], str(establishment.get("registration_number", "")))
    if inspection is not None and inspection.visit_date is not None:
        field(L["visit"], inspection.visit_date.isoformat())
    pdf.ln(2)
    questions = _questions(session, action)
    cited = content.get("violations") or []
    if cited:
        pdf.say(L["found"].en, L["found"].zh, 10, height=5.5)
    for number, v in enumerate(cited, start=1):
        q = questions.get(v["item_id"], Bi(v["item_id"], v["item_id"]))
        pdf.ln(1)
        pdf.say(f"{number}. {v['item_id']}  {q.en}", f"{number}. {v['item_id']}  {q.zh}", 9.5, "B", height=5)
        for p in v.get("provisions") or []:
            pdf.say(f"{L['basis'].en}: {p['en']}", f"{L['basis'].zh}：{p['zh']}", 9, height=4.8)
    pdf.ln(2)
    measure = MEASURE[MeasureType(content.get("measure") or action.measure.value)]
    pdf.say(f"{L['measure'].en}: {measure.en}", f"{L['measure'].zh}：{measure.zh}", 10, "B", height=5.5)
    if content.get("text"):
        pdf.para(str(content["text"]), 10, height=5.5)
    field(L["deadline"], str(content.get("deadline") or ""))
    field(L["penalty"], _money(content.get("penalty_minor"), content.get("currency")), 10.5, "B")
    field(L["penalty_basis"], str(content.get("penalty_article") or ""))
    field(L["decision"], str(content.get("decision_number") or ""))
    referral = _referral(content.get("referral_to"))
    if referral is not None:
        pdf.say(f"{L['referral'].en}: {referral.en}", f"{L['referral'].zh}：{referral.zh}", 10, height=5.5)
    if kind in ("order_to_rectify", "penalty_decision", "stop_work"):
        pdf.ln(2)
        pdf.say(L["remedy"].en, L["remedy"].zh, 9.5, height=5)
    pdf.ln(4)
    issued = notice.issued_at.astimezone(zone).strftime("%Y-%m-%d")
    by = issuer.name if issuer is not None else ""
    pdf.say(f"{L['issued'].en}: {issued}, {L['by'].en} {by}", f"{L['issued'].zh}：{issued}；{L['by'].zh}：{by}", 10)
    if notice.sha256:
        pdf.ln(4)
        pdf.rule(150)
        pdf.ln(1)
        pdf.say(f"{L['hash'].en}:", f"{L['hash'].zh}：", 8.5, height=4.5, grey=60)
        pdf.para(notice.sha256, 8.5, "B", height=4.5)
        pdf.say(L["verify"].en, L["verify"].zh, 8, height=4.3, grey=60)
    return pdf.output_bytes()


def filename(notice: Notice, lang: str) -> str:
    return f"notice-{notice.year}-{notice.serial:04d}-{uuid.UUID(str(notice.id)).hex[:8]}-{lang}.pdf"

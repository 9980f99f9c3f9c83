"""The inspection report (notice of findings) as PDF, in Chinese, English or both side by side, on the shared
document base (``backend/pdfdoc.py``: Noto Sans CJK embedded and subset). What it says is ``inspection_report.py``;
the record's own texts (notes, summary, names) are printed as written, once.
"""

import io

from backend.pdfdoc import DocPDF
from backend.reports.inspection_report import Bi, InspectionReport, NonCompliance

L: dict[str, Bi] = {
    "title": Bi("Inspection report — notice of findings", "劳动保障监察检查结果告知书"),
    "record": Bi("Record", "记录编号"),
    "revision": Bi("revision", "版次"),
    "status": Bi("Status", "状态"),
    "draft": Bi("DRAFT — not submitted: this is not the final record.", "草稿——尚未提交，不是正式记录。"),
    "particulars": Bi("Particulars", "基本情况"),
    "establishment": Bi("Establishment", "被检查单位"),
    "registration": Bi("Registration number", "统一社会信用代码（登记号码）"),
    "address": Bi("Address", "地址"),
    "date": Bi("Date of the visit", "检查日期"),
    "time": Bi("Time", "检查时间"),
    "location": Bi("Location", "检查地点"),
    "gps": Bi("GPS position", "定位"),
    "no_gps": Bi("no position recorded", "未取得定位"),
    "team": Bi("Inspectors", "劳动保障监察员"),
    "lead": Bi("lead", "主办"),
    "representative": Bi("Employer's representative", "用人单位在场人员"),
    "workers_present": Bi("Workers present", "在场劳动者人数"),
    "results": Bi("Results", "检查结果"),
    "non_compliances": Bi("Non-compliances found", "发现的违法行为"),
    "none_found": Bi("No non-compliance was found.", "未发现违法行为。"),
    "basis": Bi("Legal basis", "法律依据"),
    "severity": Bi("Severity", "严重程度"),
    "value": Bi("Value recorded", "记录数值"),
    "workers": Bi("Workers affected", "涉及劳动者"),
    "men": Bi("men", "男"),
    "women": Bi("women", "女"),
    "under_18": Bi("under 18", "未满十八周岁"),
    "note": Bi("Note", "记录"),
    "photo_missing": Bi("(photo not on the server)", "（照片未上传）"),
    "measures": Bi("Measures", "处理措施"),
    "no_measures": Bi("No measure was decided.", "未作出处理措施。"),
    "items": Bi("items", "检查项"),
    "deadline": Bi("deadline", "期限"),
    "notice": Bi("notice No.", "文书编号"),
    "summary": Bi("Summary", "检查情况"),
    "signatures": Bi("Signatures", "签名"),
    "hash": Bi("Content hash", "内容哈希值"),
    "hash_of": Bi("SHA-256 of the record as submitted", "提交记录的SHA-256值"),
    "no_hash": Bi("Not submitted yet: the record has no content hash.", "尚未提交：本记录暂无内容哈希值。"),
}
COUNTS = {
    "compliant": Bi("compliant", "符合"),
    "non_compliant": Bi("non-compliant", "不符合"),
    "not_applicable": Bi("not applicable", "不适用"),
    "not_verified": Bi("not verified", "未核实"),
}
STATUS = {
    "draft": Bi("draft", "草稿"),
    "submitted": Bi("submitted", "已提交"),
    "returned": Bi("returned for correction", "退回修改"),
    "approved": Bi("approved", "已审核"),
}
ROLES = {
    "inspector": Bi("inspector", "劳动保障监察员"),
    "employer": Bi("employer", "用人单位"),
    "worker_representative": Bi("workers' representative", "劳动者代表"),
    "witness": Bi("witness", "见证人"),
}
THUMB_W, THUMB_H = 40.0, 30.0  # mm


def verify_line(report: InspectionReport) -> Bi:
    """How the employer or a court checks this copy: the inspectorate confirms the hash it holds for the record."""
    who = report.inspectorate
    return Bi(
        f"To verify this copy, give {who.en or 'the inspectorate'} the inspection number {report.inspection_id} and "
        "the SHA-256 above: it confirms that the record it holds as submitted has the same fingerprint. Any change "
        "to the record, however small, changes the fingerprint.",
        f"核验方法：向{who.zh or '劳动保障监察机构'}提供检查编号 {report.inspection_id} 及上列SHA-256值，"
        "由其确认所存提交记录的数字指纹与之一致。记录内容的任何改动都会改变该指纹。",
    )


def _field(pdf: DocPDF, label: Bi, value: str) -> None:
    if value:
        pdf.say(f"{label.en}: {value}", f"{label.zh}：{value}", 9.5, height=5)


def _heading(pdf: DocPDF, label: Bi) -> None:
    pdf.ln(3)
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.say(label.en, label.zh, 12, "B", height=6.5)
    pdf.rule(120)
    pdf.ln(1.5)


def _particulars(pdf: DocPDF, r: InspectionReport) -> None:
    _heading(pdf, L["particulars"])
    _field(pdf, L["establishment"], r.establishment)
    _field(pdf, L["registration"], r.registration)
    _field(pdf, L["address"], r.address)
    _field(pdf, L["date"], r.visit_date.isoformat() if r.visit_date else "")
    times = f"{r.started_at} – {r.ended_at}" if r.ended_at else r.started_at
    _field(pdf, L["time"], f"{times} ({r.zone})" if times else "")
    _field(pdf, L["location"], r.location)
    if r.gps:
        _field(pdf, L["gps"], r.gps)
    else:
        pdf.say(f"{L['gps'].en}: {L['no_gps'].en}", f"{L['gps'].zh}：{L['no_gps'].zh}", 9.5, height=5)
    if r.team:
        lead, *others = r.team
        en = ", ".join([f"{lead} ({L['lead'].en})", *others])
        zh = "、".join([f"{lead}（{L['lead'].zh}）", *others])
        pdf.say(f"{L['team'].en}: {en}", f"{L['team'].zh}：{zh}", 9.5, height=5)
    _field(pdf, L["representative"], r.employer_representative)
    _field(pdf, L["workers_present"], "" if r.workers_present is None else str(r.workers_present))


def _photos(pdf: DocPDF, entry: NonCompliance) -> None:
    shown = [p for p in entry.photos if p.thumbnail is not None]
    missing = len(entry.photos) - len(shown)
    if shown:
        if pdf.will_page_break(THUMB_H + 8):
            pdf.add_page()
        top = pdf.get_y() + 1
        for index, photo in enumerate(shown):
            x = pdf.l_margin + index % 4 * (THUMB_W + 4)
            if index and index % 4 == 0:
                top += THUMB_H + 8
                if pdf.will_page_break(THUMB_H + 8):
                    pdf.add_page()
                    top = pdf.get_y() + 1
            assert photo.thumbnail is not None
            pdf.image(io.BytesIO(photo.thumbnail), x=x, y=top, w=THUMB_W, h=THUMB_H, keep_aspect_ratio=True)
            pdf.set_xy(x, top + THUMB_H + 0.5)
            pdf.set_font("noto", size=6)
            pdf.set_text_color(100)
            pdf.cell(THUMB_W, 3, " ".join(filter(None, [photo.taken_at, photo.sha256[:12]])))
            pdf.set_text_color(0)
        pdf.set_xy(pdf.l_margin, top + THUMB_H + 5)
    if missing:
        pdf.say(f"{missing} {L['photo_missing'].en}", f"{missing} {L['photo_missing'].zh}", 8, grey=90)


def _non_compliance(pdf: DocPDF, number: int, entry: NonCompliance) -> None:
    if pdf.will_page_break(25):
        pdf.add_page()
    pdf.ln(1.5)
    q = entry.question
    pdf.say(f"{number}. {entry.item_id}  {q.en}", f"{number}. {entry.item_id}  {q.zh}", 10, "B", height=5.2)
    for c in entry.citations:
        pdf.say(f"{L['basis'].en}: {c.en}", f"{L['basis'].zh}：{c.zh}", 9, height=4.8)
    if entry.severity.en:
        s = entry.severity
        pdf.say(f"{L['severity'].en}: {s.en}", f"{L['severity'].zh}：{s.zh}", 8.5, height=4.5, grey=60)
    _field(pdf, L["value"], entry.value or "")
    men, women, young = entry.workers
    if men or women or young:
        en = f"{L['men'].en} {men}, {L['women'].en} {women}, {L['under_18'].en} {young}"
        zh = f"{L['men'].zh}{men}人，{L['women'].zh}{women}人，{L['under_18'].zh}{young}人"
        pdf.say(f"{L['workers'].en}: {en}", f"{L['workers'].zh}：{zh}", 9, height=4.8)
    for text in [entry.note, *entry.notes]:
        if text:
            label = " / ".join(dict.fromkeys(getattr(L["note"], lang) for lang in pdf.langs))
            pdf.para(f"{label}: {text}", 9, height=4.8)
    _photos(pdf, entry)


def _measures(pdf: DocPDF, r: InspectionReport) -> None:
    _heading(pdf, L["measures"])
    if not r.measures:
        pdf.say(L["no_measures"].en, L["no_measures"].zh, 9.5)
    for m in r.measures:
        en, zh = [m.measure.en[:1].upper() + m.measure.en[1:]], [m.measure.zh]
        if m.item_ids:
            en.append(f"{L['items'].en} {', '.join(m.item_ids)}")
            zh.append(f"{L['items'].zh} {'、'.join(m.item_ids)}")
        if m.deadline:
            en.append(f"{L['deadline'].en} {m.deadline.isoformat()}")
            zh.append(f"{L['deadline'].zh} {m.deadline.isoformat()}")
        for number in m.notices:
            en.append(f"{L['notice'].en} {number}")
            zh.append(f"{L['notice'].zh} {number}")
        pdf.say(" — ".join(en), "；".join(zh), 9.5, "B", height=5)
        if m.text:
            pdf.para(m.text, 9, height=4.8)


def render(report: InspectionReport, lang: str) -> bytes:
    """The PDF of ``report`` in ``lang``: ``zh``, ``en`` or ``both`` (English beside Chinese)."""
    r = report
    title = L["title"].zh if lang == "zh" else L["title"].en
    pdf = DocPDF(f"{r.inspection_id} · r{r.revision}", title=title, lang="en" if lang == "en" else "zh-CN", mode=lang)
    pdf.add_page()
    pdf.say(r.inspectorate.en, r.inspectorate.zh, 11, "B", height=6)
    pdf.say(L["title"].en, L["title"].zh, 15, "B", height=7.5)
    status = STATUS.get(r.status, Bi.same(r.status))
    pdf.say(
        f"{L['record'].en} {r.inspection_id} · {L['revision'].en} {r.revision} · {L['status'].en}: {status.en}",
        f"{L['record'].zh} {r.inspection_id} · {L['revision'].zh} {r.revision} · {L['status'].zh}：{status.zh}",
        8,
        grey=80,
    )
    if r.status == "draft" or r.sha256 is None:
        pdf.say(L["draft"].en, L["draft"].zh, 10, "B", height=6, grey=40)
    _particulars(pdf, r)
    _heading(pdf, L["results"])
    total = sum(r.counts.values())
    en = ", ".join(f"{COUNTS[k].en} {v}" for k, v in r.counts.items())
    zh = "，".join(f"{COUNTS[k].zh}{v}项" for k, v in r.counts.items())
    pdf.say(f"{total} items checked: {en}", f"共检查{total}项：{zh}", 9.5, height=5)
    _heading(pdf, L["non_compliances"])
    if not r.non_compliances:
        pdf.say(L["none_found"].en, L["none_found"].zh, 9.5)
    for number, entry in enumerate(r.non_compliances, start=1):
        _non_compliance(pdf, number, entry)
    _measures(pdf, r)
    if r.summary:
        _heading(pdf, L["summary"])
        pdf.para(r.summary, 9.5, height=5)
    if r.signatures:
        _heading(pdf, L["signatures"])
        for name, role, when in r.signatures:
            label = ROLES.get(role, Bi.same(role))
            pdf.say(f"{name} ({label.en}) {when}", f"{name}（{label.zh}）{when}", 9.5, height=5)
    _heading(pdf, L["hash"])
    if r.sha256:
        h = L["hash_of"]
        pdf.say(
            f"{h.en} (r{r.revision}, {r.submitted_at}):", f"{h.zh}（第{r.revision}版，{r.submitted_at}）：", 9, height=5
        )
        pdf.para(r.sha256, 9, "B", height=5)
        line = verify_line(r)
        pdf.say(line.en, line.zh, 8, height=4.3, grey=60)
    else:
        pdf.say(L["no_hash"].en, L["no_hash"].zh, 9)
    return pdf.output_bytes()

// The printable inspection report (notice of findings) built from this device's own records (IndexedDB), so a
// copy can be printed and handed over at the worksite offline. The same content as the server's PDF
// (backend/reports/inspection_report.py): establishment, date, team, each non-compliance with its question and legal
// basis in the official citation form, notes, photos, measures with deadlines, GPS and times, the content hash and
// how to verify it. Never the inspection's type: a complaint-triggered visit must not say so (C81 Art. 15(c)).
import catalogue from "./strings.json";
import type { Action, ChecklistItem, Colleague, Establishment, Finding, Inspection, LocalNotice, Note, Photo, Text } from "./types";

export type PrintLang = "zh" | "en" | "both";

/** Both languages of every label the printed page shows. */
export const P = {
  title: { en: "Inspection report — notice of findings", zh: "劳动保障监察检查结果告知书" },
  record: { en: "Record", zh: "记录编号" },
  draft: { en: "DRAFT — not submitted: this is not the final record.", zh: "草稿——尚未提交，不是正式记录。" },
  particulars: { en: "Particulars", zh: "基本情况" },
  establishment: { en: "Establishment", zh: "被检查单位" },
  registration: { en: "Registration number", zh: "统一社会信用代码（登记号码）" },
  address: { en: "Address", zh: "地址" },
  date: { en: "Date of the visit", zh: "检查日期" },
  started: { en: "Started", zh: "开始时间" },
  gps: { en: "GPS position", zh: "定位" },
  no_gps: { en: "no position recorded", zh: "未取得定位" },
  team: { en: "Inspectors", zh: "劳动保障监察员" },
  lead: { en: "lead", zh: "主办" },
  others: { en: "{n} more", zh: "另{n}人" },
  representative: { en: "Employer's representative", zh: "用人单位在场人员" },
  results: { en: "Results", zh: "检查结果" },
  checked: { en: "{n} items checked", zh: "共检查{n}项" },
  non_compliances: { en: "Non-compliances found", zh: "发现的违法行为" },
  none_found: { en: "No non-compliance was found.", zh: "未发现违法行为。" },
  basis: { en: "Legal basis", zh: "法律依据" },
  value: { en: "Value recorded", zh: "记录数值" },
  workers: { en: "Workers affected", zh: "涉及劳动者" },
  note: { en: "Note", zh: "记录" },
  photo_missing: { en: "photo not on this device", zh: "照片不在本设备上" },
  measures: { en: "Measures", zh: "处理措施" },
  no_measures: { en: "No measure was decided.", zh: "未作出处理措施。" },
  deadline: { en: "deadline", zh: "期限" },
  notice_no: { en: "Notice No.", zh: "文书编号" },
  signatures: { en: "Signatures", zh: "签名" },
  hash: { en: "Content hash", zh: "内容哈希值" },
  hash_of: { en: "SHA-256 of the record as submitted", zh: "提交记录的SHA-256值" },
  no_hash: { en: "Not submitted yet: the record has no content hash.", zh: "尚未提交：本记录暂无内容哈希值。" },
  verify: {
    en: "To verify: the inspectorate keeps the submitted record under this SHA-256 of its canonical JSON (RFC 8785; sync/PROTOCOL.md §7.2). Ask it to confirm the hash.",
    zh: "核验方法：监察机构以本记录规范JSON（RFC 8785，见sync/PROTOCOL.md第7.2节）的SHA-256值存档提交的记录，可请监察机构核对该哈希值。",
  },
  print: { en: "Print", zh: "打印" },
  back: { en: "Back to the inspection", zh: "返回检查" },
  language: { en: "Language of the copy", zh: "打印语言" },
  lang_zh: { en: "Chinese", zh: "中文" },
  lang_en: { en: "English", zh: "英文" },
  lang_both: { en: "Both", zh: "中英对照" },
  men: { en: "men", zh: "男" },
  women: { en: "women", zh: "女" },
  under_18: { en: "under 18", zh: "未满十八周岁" },
} satisfies Record<string, Text>;

const STRINGS: Record<string, Text> = catalogue;
/** A label of the app's catalogue (strings.json) in both languages. */
export function both(key: string): Text {
  return STRINGS[key] ?? { en: key, zh: key };
}

export function fill(text: Text, params: Record<string, string | number>): Text {
  const f = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ""));
  return { en: f(text.en), zh: f(text.zh) };
}

/** "Label: value" in both languages (the Chinese colon in Chinese). */
export function field(label: Text, value: string): Text {
  return { en: `${label.en}: ${value}`, zh: `${label.zh}：${value}` };
}

export interface PrintEntry {
  item: ChecklistItem;
  value: string | null;
  remark: string;
  workers: { men: number; women: number; under_18: number };
  notes: string[];
  photos: Photo[];
}

export interface PrintDoc {
  inspection: Inspection;
  establishment: Establishment | undefined;
  started: string;
  gps: string | null;
  team: string[]; // the lead first
  unnamed: number; // team members whose name this device does not hold
  counts: Record<string, number>;
  entries: PrintEntry[];
  measures: Action[];
  notices: Record<string, string>; // action id -> the number of its issued notice on this device
  signatures: Photo[];
  hash: string | null;
}

const NOTICE_MEASURES = new Set(["order_to_rectify", "stop_work", "penalty", "referral"]);
/** Whether the measure is issued on an official notice (its number printed when this device issued it). */
export function takesNotice(action: Action): boolean {
  return NOTICE_MEASURES.has(action.measure);
}

/** The number of the measure's issued notice (not a voided or refused one), or a blank to write it on by hand. */
export function noticeNumber(doc: Pick<PrintDoc, "notices">, action: Action): string {
  return doc.notices[action.id] ?? "________";
}

function localTime(iso: string, zone?: string | null): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  const opts: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false };
  try {
    const parts = new Intl.DateTimeFormat("en-CA", { ...opts, ...(zone ? { timeZone: zone } : {}) }).formatToParts(at);
    const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour === "24" ? "00" : p.hour}:${p.minute}${zone ? ` (${zone})` : ""}`;
  } catch {
    return at.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }
}

/** The printed content from the device's records of one inspection. */
export function buildPrintDoc(input: {
  inspection: Inspection;
  establishment: Establishment | undefined;
  items: ChecklistItem[];
  findings: Map<string, Finding>;
  notes: Note[];
  photos: Photo[];
  actions: Action[];
  notices?: LocalNotice[];
  colleagues: Colleague[];
  me: { id: string; name: string };
}): PrintDoc {
  const { inspection, establishment } = input;
  const zone = establishment?.time_zone ?? null;
  const name = (id: string) => (id === input.me.id ? input.me.name : input.colleagues.find((c) => c.id === id)?.name);
  const ids = [inspection.lead, ...inspection.team.filter((id) => id !== inspection.lead)];
  const team = ids.map(name).filter((n): n is string => !!n);
  const counts: Record<string, number> = { compliant: 0, non_compliant: 0, not_applicable: 0, not_checked: 0 };
  const entries: PrintEntry[] = [];
  for (const item of input.items) {
    const finding = input.findings.get(item.id);
    const status = finding?.fields.status;
    if (!status) continue;
    counts[status] = (counts[status] ?? 0) + 1;
    if (status !== "non_compliant") continue;
    const value = finding.fields.value;
    entries.push({
      item,
      value: value === undefined || value === null || value === "" ? null : String(value),
      remark: finding.fields.remark ?? "",
      // What was sent and hashed (the last consistent counts), not the counts as typed since.
      workers: finding.fields.workers_affected ?? { men: 0, women: 0, under_18: 0 },
      notes: input.notes.filter((n) => n.item_id === item.id).map((n) => n.text),
      photos: input.photos.filter((p) => p.kind === "photo" && p.item_id === item.id),
    });
  }
  const fix = inspection.gps_start;
  const gps =
    fix && fix.lat !== null && fix.lon !== null
      ? `${fix.lat.toFixed(6)}, ${fix.lon.toFixed(6)}${fix.accuracy_m !== null ? ` ± ${fix.accuracy_m.toFixed(1)} m` : ""}${fix.at ? ` (${localTime(fix.at, zone)})` : ""}`
      : null;
  return {
    inspection,
    establishment,
    started: localTime(inspection.created_at, zone),
    gps,
    team,
    unnamed: ids.length - team.length,
    counts,
    entries,
    measures: input.actions,
    notices: Object.fromEntries(
      (input.notices ?? []).filter((n) => n.status === "issued" && n.action_id).map((n) => [n.action_id as string, n.number]),
    ),
    signatures: input.photos.filter((p) => p.kind === "signature"),
    hash: inspection.status !== "draft" ? (inspection.submitted_hash ?? null) : null,
  };
}

// The hashed document of hash_version 2 (sync/PROTOCOL.md §7.2), built from rows in the shape a device pulls
// them (§5: entity -> id -> data), as sync/attested.py builds it; the server builds the same from its record.
import { canonicalJson, sha256Hex } from "./canonical";

type Row = Record<string, unknown>;
export type Rows = Record<string, Record<string, Row>>;
type Entry = Record<string, unknown>;

const WORKERS = ["men", "women", "under_18"] as const;

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A finding's value or remark as the record keeps it: a string as it is, any other JSON as canonical JSON. */
function asText(value: unknown): string | null {
  return value === null || value === undefined ? null : typeof value === "string" ? value : canonicalJson(value);
}

function obj(value: unknown): Row {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Row) : {};
}

/** Sorted by canonical JSON compared as UTF-16 code units (string `<`). */
export function utf16Order(entries: Entry[]): Entry[] {
  const keyed = entries.map((e) => [canonicalJson(e), e] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map(([, e]) => e);
}

function validDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(value + "T00:00:00Z");
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function headerV2(header: Row): Entry {
  const out: Entry = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === "visit_date" && typeof value === "string") {
      if (validDate(value)) out.visit_date = value;
    } else if (name === "location" && value !== null && typeof value === "object" && !Array.isArray(value)) {
      const fix = value as Row;
      const lat = num(fix.lat);
      const lon = num(fix.lon);
      if (lat !== null && lon !== null) out.gps = { lat, lon, accuracy_m: num(fix.accuracy_m) };
    } else if (["location", "employer_representative", "summary"].includes(name)) {
      if (typeof value === "string" && value !== "") out[name] = value;
    } else if (name === "workers_present" && Number.isInteger(value)) {
      out[name] = value;
    }
  }
  return out;
}

export function documentV2(rows: Rows, inspectionId: string): Entry {
  const of = (entity: string): Row[] =>
    Object.values(rows[entity] ?? {}).filter((r) => r.inspection_id === inspectionId);
  const inspection = rows.inspection[inspectionId];
  const findings = of("finding")
    .filter((f) => obj(f.fields).status !== undefined && obj(f.fields).status !== null)
    .map((f) => {
      const fields = obj(f.fields);
      const workers = obj(fields.workers_affected);
      return {
        item_id: f.item_id,
        status: fields.status,
        value: asText(fields.value),
        remark: asText(fields.remark) || "",
        workers_affected: Object.fromEntries(WORKERS.map((k) => [k, k in workers ? workers[k] : 0])),
      };
    })
    .sort((a, b) => (String(a.item_id) < String(b.item_id) ? -1 : String(a.item_id) > String(b.item_id) ? 1 : 0));
  return {
    hash_version: 2,
    inspection_id: inspectionId.toLowerCase(),
    checklist: inspection.checklist,
    header: headerV2(obj(inspection.header)),
    findings,
    notes: utf16Order(of("note").map((n) => ({ item_id: n.item_id, text: n.text }))),
    photos: utf16Order(
      of("photo")
        .filter((p) => !p.detached)
        .map((p) => {
          const geo = obj(p.geo);
          return {
            sha256: p.sha256,
            preview_sha256: (obj(p.preview).sha256 as string | undefined) ?? null,
            item_id: p.item_id ?? null,
            latitude: num(geo.lat),
            longitude: num(geo.lon),
            accuracy_m: num(geo.accuracy_m),
            caption: (p.caption as string | undefined) || "",
          };
        }),
    ),
    signatures: utf16Order(
      of("signature").map((s) => ({ signer_name: s.signer_name, signer_role: s.signer_role, sha256: s.sha256 })),
    ),
    interviews: utf16Order(
      of("interview").map((i) => ({ men: i.men, women: i.women, under_18: i.under_18, note: i.note || "" })),
    ),
    measures: utf16Order(
      of("action").map((a) => ({
        measure: a.measure,
        item_ids: a.item_id ? [a.item_id] : [],
        deadline_days: a.deadline_days ?? null,
        text: a.text || "",
      })),
    ),
  };
}

export async function contentHashV2(rows: Rows, inspectionId: string): Promise<string> {
  return "sha256:" + (await sha256Hex(canonicalJson(documentV2(rows, inspectionId))));
}

// Canonical JSON (RFC 8785 / PROTOCOL.md §7.1) and the inspection content hash (§7.2).

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    // Default sort compares UTF-16 code units, as JCS requires.
    for (const key of Object.keys(value as object).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  if (typeof value === "number") {
    // JavaScript cannot tell 1e21 (a valid double) from an over-large integer; only NaN/Infinity are refused.
    if (!Number.isFinite(value)) throw new Error("NaN and Infinity cannot be hashed");
  }
  if (typeof value === "string" && /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    throw new Error("lone surrogate");
  }
  return value;
}

/** A value the protocol cannot carry as queued: refused before it enters the outbox (PROTOCOL.md §3). */
export class UnstorableValue extends Error {
  override name = "UnstorableValue";
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(text: string, where: string): void {
  if (text.includes("\u0000")) throw new UnstorableValue(`${where}: a NUL character (U+0000) cannot be stored`);
  if (LONE_SURROGATE.test(text)) throw new UnstorableValue(`${where}: a broken character (lone surrogate)`);
}

/**
 * Refuse what JSON.stringify would silently change (NaN and Infinity become null, a lone surrogate stops the
 * server's hash) or the server cannot store (a NUL character): the server would reject such a mutation as invalid,
 * and the user's input would be lost without a word. Throws `UnstorableValue` naming the field.
 */
export function assertStorable(value: unknown, where = "args"): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new UnstorableValue(`${where}: ${value} is not a number JSON can carry`);
  } else if (typeof value === "string") {
    checkText(value, where);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => assertStorable(v, `${where}[${i}]`));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      checkText(k, where);
      assertStorable(v, `${where}.${k}`);
    }
  }
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export async function sha256Hex(data: BufferSource | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface HashedFinding {
  item_id: string;
  fields: Record<string, unknown>;
  notes: string[];
}

export interface InspectionContent {
  inspection_id: string;
  checklist: string;
  header: Record<string, unknown>;
  findings: HashedFinding[];
  attachments: string[];
}

export function hashedDocument(content: InspectionContent): Record<string, unknown> {
  const findings = content.findings
    .filter((f) => Object.keys(f.fields).length > 0 || f.notes.length > 0)
    .slice()
    .sort((a, b) => (a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : 0));
  return {
    hash_version: 1,
    inspection_id: content.inspection_id.toLowerCase(),
    checklist: content.checklist,
    header: content.header,
    findings,
    attachments: Array.from(new Set(content.attachments.map((a) => a.toLowerCase()))).sort(),
  };
}

export async function contentHash(content: InspectionContent): Promise<string> {
  return "sha256:" + (await sha256Hex(canonicalJson(hashedDocument(content))));
}

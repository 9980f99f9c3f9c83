// A refusal the server sent back after sync (a rejected or conflicting mutation), in plain words: what was
// refused and what to do next. The home screen shows these; the technical reason stays on the sync screen.
import type { Outcome } from "./types";

export interface Explained {
  what: string; // i18n key: the change that was refused
  why: string; // i18n key: why, and what to do
  n: number; // a count the text may show
}

const WHY: Record<string, string> = {
  "inspection.incomplete": "refusal.incomplete",
  missing_attachments: "refusal.missing_attachments",
  hash_mismatch: "refusal.hash_mismatch",
  open_conflicts: "refusal.open_conflicts",
  field_conflict: "refusal.field_conflict",
  forbidden: "refusal.forbidden",
  immutable: "refusal.immutable",
  not_found: "refusal.not_found",
};

const WHAT = new Set([
  "inspection.create",
  "inspection.update",
  "inspection.submit",
  "finding.record",
  "photo.attach",
  "photo.detach",
  "signature.attach",
  "interview.record",
  "action.record",
  "conflict.resolve",
  "follow_up.result",
  "notice.issue",
  "notice.void",
]);

export function explain(outcome: Outcome): Explained {
  const data = outcome.data ?? {};
  const code = typeof data.code === "string" ? data.code : null;
  const missing = Array.isArray(data.missing) ? data.missing.length : 0;
  return {
    what: WHAT.has(outcome.name) ? `refusal.what.${outcome.name}` : "refusal.what.other",
    why: (code && WHY[code]) || WHY[outcome.reason ?? ""] || "refusal.other",
    n: missing,
  };
}

/** The inspection a refused change was about, to link to it. */
export function inspectionOf(outcome: Outcome): string | null {
  const id = outcome.args.inspection_id;
  return typeof id === "string" ? id : null;
}

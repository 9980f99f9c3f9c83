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

// A complaint, an accident report or a disease case taken on the tablet: its own words per problem code (or reason), since the
// general ones speak of inspections. The record is not on the tablet any more: these say how to take it again.
const SPECIFIC: Record<string, Record<string, string>> = {
  "complaint.create": {
    "complaint.unknown_matter": "refusal.complaint.unknown_matter",
    "complaint.received_in_future": "refusal.complaint.received_in_future",
    "org_unit.not_found": "refusal.complaint.district_not_found",
    "establishment.not_found": "refusal.complaint.establishment_not_found",
    "complaint.statistician_reads_only": "refusal.complaint.forbidden",
    exists: "refusal.complaint.exists",
    forbidden: "refusal.complaint.forbidden",
    not_found: "refusal.complaint.establishment_not_found",
    invalid: "refusal.complaint.invalid",
  },
  "accident.report": {
    "accident.in_future": "refusal.accident.in_future",
    "establishment.not_found": "refusal.accident.establishment_not_found",
    exists: "refusal.accident.exists",
    forbidden: "refusal.accident.forbidden",
    not_found: "refusal.accident.establishment_not_found",
    invalid: "refusal.accident.invalid",
  },
  "disease.report": {
    "disease_case.diagnosed_in_future": "refusal.disease.diagnosed_in_future",
    "establishment.not_found": "refusal.disease.establishment_not_found",
    exists: "refusal.disease.exists",
    forbidden: "refusal.disease.forbidden",
    not_found: "refusal.disease.establishment_not_found",
    invalid: "refusal.disease.invalid",
  },
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
  "complaint.create",
  "accident.report",
  "disease.report",
]);

export function explain(outcome: Outcome): Explained {
  const data = outcome.data ?? {};
  const code = typeof data.code === "string" ? data.code : null;
  const missing = Array.isArray(data.missing) ? data.missing.length : 0;
  const own = SPECIFIC[outcome.name];
  const specific = own ? (code && own[code]) || own[outcome.reason ?? ""] : undefined;
  return {
    what: WHAT.has(outcome.name) ? `refusal.what.${outcome.name}` : "refusal.what.other",
    why: specific || (code && WHY[code]) || WHY[outcome.reason ?? ""] || "refusal.other",
    n: missing,
  };
}

/** Where to take a refused complaint or accident report again: its intake screen (null for other changes). */
export function retakeOf(outcome: Outcome): string | null {
  const est = typeof outcome.args.establishment_id === "string" ? outcome.args.establishment_id : "";
  if (outcome.name === "complaint.create") return est ? `#/complaint/${est}` : "#/complaint";
  if (outcome.name === "accident.report" && est) return `#/accident/${est}`;
  if (outcome.name === "disease.report" && est) return `#/disease/${est}`;
  return null;
}

/** The workplace a refused complaint or accident report was about, as the tablet knows it. */
export function workplaceOf(outcome: Outcome, names: Map<string, { name: string }>): string {
  const est = outcome.args.establishment_id;
  if (typeof est === "string") return names.get(est)?.name ?? "";
  const unregistered = outcome.args.workplace_name;
  return typeof unregistered === "string" ? unregistered : "";
}

/** The inspection a refused change was about, to link to it. */
export function inspectionOf(outcome: Outcome): string | null {
  const id = outcome.args.inspection_id;
  return typeof id === "string" ? id : null;
}

// Local record shapes (IndexedDB) and the server shapes the app reads.

export type Lang = "en" | "zh";
export type Text = { en: string; zh: string };
export type FindingStatus = "compliant" | "non_compliant" | "not_applicable" | "not_checked";
export type InspectionType = "planned" | "complaint" | "accident" | "follow_up" | "campaign";
export type Role = "inspector" | "supervisor" | "admin";

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  org_unit_ids: string[];
}

/** A colleague a team can be picked from (GET /users/colleagues). */
export interface Colleague {
  id: string;
  name: string;
  role: Role;
}

export interface Device {
  id: string;
  token: string;
  name: string;
  user: User;
  password: { salt: string; iterations: number; hash: string };
  registered_at: string;
  /** The data key of the at-rest encryption, wrapped by the password (datakey.ts); absent on older tablets. */
  data_key?: { salt: string; iterations: number; iv: string; wrapped: string };
}

export interface Applicability {
  sectors?: string[];
  exclude_sectors?: string[];
  min_workers?: number | null;
  max_workers?: number | null;
  employs_women?: boolean | null;
  employs_under_18?: boolean | null;
  uses_hazardous_chemicals?: boolean | null;
  underground?: boolean | null;
  min_union_members?: number | null;
}

export interface ChecklistItem {
  id: string;
  text: Text;
  guidance: Text;
  legal_basis: { instrument: string; article: string }[];
  severity: "critical" | "major" | "minor";
  answer_type: "compliance" | "number" | "text" | "choice";
  choices?: Text[];
  unit?: string | null;
  evidence_required: boolean;
  applies_if?: Applicability | null;
  measure: { type: string; deadline_days?: number | null };
  // Added by the server when it serves a published checklist (backend/checklists/present.py): the enforcing
  // authority, the measure this inspectorate can take (a referral where the power is another authority's) and
  // the citations in their official form (one formatter, backend/checklists/citation.py).
  authority?: string | null;
  offered_measure?: OfferedMeasure;
  citations?: Citation[];
}

export interface OfferedMeasure {
  type: string;
  deadline_days?: number | null;
  usual: string;
  authority?: string | null;
  referral_to?: Text | null;
}

export interface Citation {
  instrument: string;
  article: string;
  text: Text; // the official form
  benchmark: boolean;
  line: Text; // as printed: the official form, a benchmark marked "(benchmark)" / "（参照标准）"
}

export interface ChecklistSection {
  id: string;
  title: Text;
  items: ChecklistItem[];
}

export interface ChecklistDefinition {
  key: string;
  version: number;
  title: Text;
  description: Text;
  applies_if?: Applicability | null;
  sections: ChecklistSection[];
}

export interface ChecklistRecord {
  ref: string; // key@version
  key: string;
  version: number;
  sha256: string;
  title: Text;
  definition: ChecklistDefinition;
}

export interface Establishment {
  id: string;
  name: string;
  registration_number: string;
  registration_type?: string;
  address: string;
  district_id: string;
  latitude?: number | null;
  longitude?: number | null;
  isic: string;
  workers_total: number;
  workers_women: number;
  workers_under_18: number;
  // Optional: rows pulled before the server had them lack them (read as false / 0).
  uses_hazardous_chemicals?: boolean;
  has_underground_work?: boolean;
  union_members?: number;
  contact_name?: string | null;
  contact_phone?: string | null;
  search?: string;
  time_zone?: string; // the IANA zone its district works in (PROTOCOL.md §5); absent: the device's own
  history?: EstablishmentVisit[]; // the last submitted inspections, pulled (PROTOCOL.md §5)
  version?: number; // the change version of the pulled row (absent when loaded over REST only)
}

export interface EstablishmentVisit {
  inspection_id: string;
  type: InspectionType;
  status: string;
  revision: number;
  amends: string | null;
  visited_on: string | null;
}

export interface Review {
  decision: "approve" | "return";
  comment: string;
  at: string;
  revision: number;
  finding_comments?: { checklist_key: string; item_id: string; comment: string }[]; // beside each item
}

export interface GeoFix {
  lat: number | null;
  lon: number | null;
  accuracy_m: number | null;
  at: string; // ISO time the fix was taken, or the attempt when there is no fix
}

export interface Interview {
  id: string;
  men: number;
  women: number;
  under_18: number;
  note: string; // anonymous: never names
  at: string;
}

export type LocalStatus = "draft" | "submit_queued" | "submitted";

export interface Inspection {
  id: string;
  establishment_id: string;
  checklist: string; // key@version
  type: InspectionType;
  team: string[];
  lead: string; // user id
  status: LocalStatus;
  header: Record<string, unknown>;
  version: number; // the server version this device last pulled (0: never)
  gps_start: GeoFix;
  interviews: Interview[];
  submission_id?: string | null;
  submitted_hash?: string | null;
  review?: Review | null; // the supervisor's decision on the current revision (a return makes it a draft again)
  author?: string | null; // who created it on the server (a supervisor for an assignment)
  created_at: string;
  updated_at: string;
}

export interface Workers {
  men: number;
  women: number;
  under_18: number;
}

export interface Finding {
  key: string; // inspection_id/item_id
  inspection_id: string;
  item_id: string;
  fields: { status?: FindingStatus; value?: unknown; remark?: string; workers_affected?: Workers };
  version: number; // base version for the next write
  workers: Workers; // the counts as typed (fields.workers_affected holds the last consistent, sent value)
  updated_at: string;
}

export interface Note {
  id: string;
  inspection_id: string;
  item_id: string;
  text: string;
}

export interface Photo {
  id: string;
  kind: "photo" | "signature";
  inspection_id: string;
  item_id: string | null;
  sha256: string;
  bytes: number;
  mime: string;
  preview_sha256: string | null; // a downscaled JPEG derived from the original (its chunks carry derived_from)
  preview_mime: string | null;
  preview_bytes?: number | null;
  preview_uploaded?: boolean;
  geo: GeoFix | null;
  signer_name?: string;
  signer_role?: string; // signatures: "employer" unless pulled with another role
  caption?: string | null;
  uploaded: boolean;
  upload_error?: string;
  created_at: string;
}

export interface Action {
  id: string;
  inspection_id: string;
  item_id: string | null;
  measure: "advice" | "warning" | "order_to_rectify" | "stop_work" | "penalty" | "referral";
  deadline: string | null; // date for an order to rectify
  deadline_days?: number | null; // as sent (and hashed): days from the visit
  text: string;
  establishment_id?: string; // pulled actions carry these (PROTOCOL.md §5)
  status?: "open" | "complied" | "overdue" | "escalated" | "closed" | "withdrawn";
  version?: number;
  verify_in?: string | null; // pulled: the follow-up inspection that verifies this measure (issue 17)
  follow_up_result?: "complied" | "not_complied"; // this device's result, recorded once (sent as follow_up.result)
  follow_up_in?: string; // the follow-up inspection it was recorded in
}

export interface ConflictCandidate {
  value: unknown;
  author: string;
  mutation_id: string;
}

export interface Conflict {
  id: string;
  inspection_id: string;
  entity: string;
  record_id: string;
  field: string;
  base_version: number;
  candidates: ConflictCandidate[];
  status: "open" | "resolved";
  resolution: unknown;
  resolving?: boolean;
}

export interface OutboxEntry {
  seq: number;
  id: string;
  name: string;
  v: number;
  client_ts: string;
  args: Record<string, unknown>;
  attempts: number;
  last_error: string | null;
  handed_over_from?: string; // the earlier registration of this tablet that first queued this mutation
}

export interface Outcome {
  seq: number;
  id: string;
  name: string;
  args: Record<string, unknown>;
  outcome: "conflict" | "rejected";
  reason: string | null;
  detail: string | null;
  data?: Record<string, unknown> | null; // what the server added (e.g. the items still missing)
  at: string;
  dismissed: boolean;
}

/** Serials the server reserved for this device (POST /devices/me/notice-blocks), with their official numbers;
 * `next_serial` moves on in the transaction that issues or voids one, so a number is never used twice. */
export interface NoticeBlock {
  id: string;
  org_unit_id: string;
  year: number;
  first_serial: number;
  last_serial: number;
  numbers: string[]; // numbers[i] is the official number of first_serial + i
  next_serial: number;
  reserved_at: string;
}

/** An official notice this device issued (or whose number it voided), sent as `notice.issue` / `notice.void`. */
export interface LocalNotice {
  id: string;
  action_id: string | null;
  block_id: string;
  org_unit_id: string;
  serial: number;
  number: string;
  status: "issued" | "voided" | "refused"; // refused: the server did not accept it (the number is not reused)
  void_reason?: string;
  sha256?: string | null; // the frozen content's hash, from the server's pulled `notice` row
  issued_at: string;
}

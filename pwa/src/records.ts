// Every user change to inspection data: a local record change plus its outbox mutation, in one transaction.
import { dropUnsharedBytes, hashInWorker, putChunks } from "./blobs";
import { contentHashV2, type Rows } from "./attested";
import { byIndex, getOne, req } from "./db";
import { currentFix } from "./geo";
import { uuid7 } from "./ids";
import { commit } from "./outbox";
import type { Typed } from "./typing";
import type {
  Action,
  Conflict,
  Establishment,
  Finding,
  FindingStatus,
  GeoFix,
  Inspection,
  InspectionType,
  Interview,
  Note,
  Photo,
  Workers,
} from "./types";

export class Locked extends Error {}

const now = () => new Date().toISOString();

import { localDate, plusDays, todayAt } from "./today";

export { localDate };

function assertEditable(inspection: Inspection): void {
  if (inspection.status !== "draft") throw new Locked("this inspection is submitted and locked");
}

export function findingKey(inspectionId: string, itemId: string): string {
  return `${inspectionId}/${itemId}`;
}

function geoArg(fix: GeoFix): Record<string, number | null> {
  return { lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m };
}

export async function createInspection(input: {
  establishment: Establishment;
  checklist: string;
  type: InspectionType;
  team: string[];
  lead: string;
  gps: GeoFix;
}): Promise<Inspection> {
  const id = uuid7();
  const header = { visit_date: localDate(new Date(), input.establishment.time_zone), location: geoArg(input.gps) };
  const inspection: Inspection = {
    id,
    establishment_id: input.establishment.id,
    checklist: input.checklist,
    type: input.type,
    team: input.team,
    lead: input.lead,
    status: "draft",
    header,
    version: 0,
    gps_start: input.gps,
    interviews: [],
    created_at: now(),
    updated_at: now(),
  };
  await commit(["inspections"], (t) => void t.objectStore("inspections").add(inspection), [
    {
      name: "inspection.create",
      args: {
        inspection_id: id,
        establishment_id: input.establishment.id,
        checklist: input.checklist,
        type: input.type,
        team: input.team,
        header,
      },
    },
  ]);
  return inspection;
}

export async function updateHeader(inspection: Inspection, fields: Record<string, unknown>): Promise<void> {
  assertEditable(inspection);
  await commit(
    ["inspections"],
    async (t) => {
      const store = t.objectStore("inspections");
      const current = (await req(store.get(inspection.id))) as Inspection;
      assertEditable(current);
      store.put({ ...current, header: { ...current.header, ...fields }, updated_at: now() });
    },
    [{ name: "inspection.update", args: { inspection_id: inspection.id, base_version: inspection.version, fields } }],
  );
}

function emptyFinding(inspectionId: string, itemId: string): Finding {
  return {
    key: findingKey(inspectionId, itemId),
    inspection_id: inspectionId,
    item_id: itemId,
    fields: {},
    version: 0,
    workers: { men: 0, women: 0, under_18: 0 },
    updated_at: now(),
  };
}

export async function recordFinding(
  inspection: Inspection,
  itemId: string,
  fields: { status?: FindingStatus; value?: unknown; remark?: string },
  onlyIfChanged = false,
): Promise<void> {
  assertEditable(inspection);
  let base = 0;
  let same = false;
  await commit(
    ["inspections", "findings"],
    async (t) => {
      const current = (await req(t.objectStore("inspections").get(inspection.id))) as Inspection;
      assertEditable(current);
      const store = t.objectStore("findings");
      const finding =
        ((await req(store.get(findingKey(inspection.id, itemId)))) as Finding | undefined) ??
        emptyFinding(inspection.id, itemId);
      base = finding.version;
      const stored = finding.fields as Record<string, unknown>;
      same = onlyIfChanged && Object.entries(fields).every(([k, v]) => (stored[k] ?? null) === (v ?? null));
      if (!same) store.put({ ...finding, fields: { ...finding.fields, ...fields }, updated_at: now() });
    },
    () =>
      same
        ? []
        : [{ name: "finding.record", args: { inspection_id: inspection.id, item_id: itemId, base_version: base, fields } }],
  );
}

/** Whether workers-affected counts can be sent (PROTOCOL.md §6: non-negative, under_18 <= men + women). */
export function workersValid(w: Workers): boolean {
  const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= 100_000;
  return ok(w.men) && ok(w.women) && ok(w.under_18) && w.under_18 <= w.men + w.women;
}

/**
 * Workers affected: the counts are shown as typed; the finding field `workers_affected` (one field, merged like
 * status/value/remark) is written and sent only while the counts are consistent, so what the server holds, what
 * the content hash covers and what this device holds agree.
 */
export async function setWorkers(
  inspection: Inspection,
  itemId: string,
  patch: Partial<Workers>,
  onlyIfChanged = false,
): Promise<void> {
  assertEditable(inspection);
  let send: Workers | null = null;
  let base = 0;
  await commit(
    ["inspections", "findings"],
    async (t) => {
      const current = (await req(t.objectStore("inspections").get(inspection.id))) as Inspection;
      assertEditable(current);
      const store = t.objectStore("findings");
      const finding =
        ((await req(store.get(findingKey(inspection.id, itemId)))) as Finding | undefined) ??
        emptyFinding(inspection.id, itemId);
      base = finding.version;
      // Merged with what is stored (not with what the screen last rendered): quick edits never undo each other.
      const workers = { ...finding.workers, ...patch };
      const w = finding.workers as unknown as Record<string, number>;
      if (onlyIfChanged && Object.entries(patch).every(([k, v]) => w[k] === v)) return;
      send = workersValid(workers) ? { men: workers.men, women: workers.women, under_18: workers.under_18 } : null;
      const fields = send ? { ...finding.fields, workers_affected: send } : finding.fields;
      store.put({ ...finding, fields, workers, updated_at: now() });
    },
    () =>
      send
        ? [
            {
              name: "finding.record",
              args: { inspection_id: inspection.id, item_id: itemId, base_version: base, fields: { workers_affected: send } },
            },
          ]
        : [],
  );
}

const MIN_FREE_BYTES = 100 * 1024 * 1024;

export class StorageFull extends Error {}

/** Refuse new photos when the device is nearly out of quota (writes that fail half-way help no one). */
async function assertSpaceFor(bytes: number): Promise<void> {
  if (!navigator.storage?.estimate) return;
  const { usage = 0, quota = Infinity } = await navigator.storage.estimate();
  if (quota - usage < MIN_FREE_BYTES + bytes * 2) throw new StorageFull(`${Math.round((quota - usage) / 1e6)} MB free`);
}

export async function addPhoto(inspection: Inspection, itemId: string | null, file: Blob): Promise<Photo> {
  assertEditable(inspection);
  await assertSpaceFor(file.size);
  const bytes = await file.arrayBuffer();
  const mime = /^image\/[a-z0-9.+-]+$/.test(file.type) ? file.type : "image/jpeg";
  const hashed = await hashInWorker(bytes, mime); // the original's hash (the evidence) and a downscaled copy
  // The derivative is kept only when it is a real saving; otherwise the preview is the original itself.
  const preview = hashed.preview && hashed.previewSha256 && hashed.preview.byteLength < bytes.byteLength ? hashed : null;
  const previewSha = preview?.previewSha256 ?? null;
  const geo = currentFix();
  const photo: Photo = {
    id: uuid7(),
    kind: "photo",
    inspection_id: inspection.id,
    item_id: itemId,
    sha256: hashed.sha256,
    bytes: bytes.byteLength,
    mime,
    preview_sha256: previewSha,
    preview_mime: preview ? (preview.previewMime ?? "image/jpeg") : null,
    preview_bytes: preview?.preview?.byteLength ?? null,
    preview_uploaded: false,
    geo,
    uploaded: false,
    created_at: now(),
  };
  await commit(
    ["photos", "chunks"],
    (t) => {
      putChunks(t, hashed.sha256, bytes);
      if (preview?.preview && previewSha) putChunks(t, previewSha, preview.preview, hashed.sha256);
      t.objectStore("photos").add(photo);
    },
    [
      {
        name: "photo.attach",
        args: {
          photo_id: photo.id,
          inspection_id: inspection.id,
          ...(itemId ? { item_id: itemId } : {}),
          sha256: photo.sha256,
          bytes: photo.bytes,
          mime,
          geo: geoArg(geo),
          ...(photo.preview_sha256
            ? { preview: { sha256: photo.preview_sha256, bytes: photo.preview_bytes, mime: photo.preview_mime } }
            : {}),
        },
      },
    ],
  );
  return photo;
}

/**
 * Remove a photo before submission (`photo.detach`): the row and, unless another photo shares them, its bytes
 * leave this device at once; the server keeps a tombstone and drops it from the evidence and the content hash.
 */
export async function removePhoto(photo: Photo): Promise<void> {
  const inspection = await loadInspection(photo.inspection_id);
  if (!inspection) throw new Error("the inspection is not on this device");
  assertEditable(inspection);
  await commit(
    ["inspections", "photos", "chunks"],
    async (t) => {
      const current = (await req(t.objectStore("inspections").get(inspection.id))) as Inspection;
      assertEditable(current);
      const photos = t.objectStore("photos");
      photos.delete(photo.id);
      await dropUnsharedBytes(t, [photo.sha256, photo.preview_sha256], photo.id);
      t.objectStore("inspections").put({ ...current, updated_at: now() });
    },
    [{ name: "photo.detach", args: { photo_id: photo.id, inspection_id: inspection.id } }],
  );
}

export async function addSignature(inspection: Inspection, signerName: string, png: ArrayBuffer): Promise<void> {
  assertEditable(inspection);
  const hashed = await hashInWorker(png, "image/png", 0);
  const signature: Photo = {
    id: uuid7(),
    kind: "signature",
    inspection_id: inspection.id,
    item_id: null,
    sha256: hashed.sha256,
    bytes: png.byteLength,
    mime: "image/png",
    preview_sha256: null,
    preview_mime: null,
    geo: currentFix(),
    signer_name: signerName,
    signer_role: "employer",
    uploaded: false,
    created_at: now(),
  };
  const header = { employer_representative: signerName };
  await commit(
    ["photos", "chunks", "inspections"],
    async (t) => {
      putChunks(t, hashed.sha256, png);
      t.objectStore("photos").add(signature);
      const store = t.objectStore("inspections");
      const current = (await req(store.get(inspection.id))) as Inspection;
      store.put({ ...current, header: { ...current.header, ...header }, updated_at: now() });
    },
    [
      {
        name: "signature.attach",
        args: {
          signature_id: signature.id,
          inspection_id: inspection.id,
          signer_name: signerName,
          signer_role: "employer",
          sha256: signature.sha256,
        },
      },
      { name: "inspection.update", args: { inspection_id: inspection.id, base_version: inspection.version, fields: header } },
    ],
  );
}

export function interviewValid(i: Pick<Interview, "men" | "women" | "under_18" | "note">): boolean {
  return workersValid(i) && i.men + i.women >= 1 && i.note.length <= 2000;
}

/** Worker interviews: counts and an anonymous note (never a name), sent as `interview.record`. */
export async function addInterview(inspection: Inspection, interview: Omit<Interview, "id" | "at">): Promise<void> {
  assertEditable(inspection);
  if (!interviewValid(interview)) throw new Error("interview counts are not valid");
  const entry: Interview = { ...interview, id: uuid7(), at: now() };
  await commit(
    ["inspections"],
    async (t) => {
      const store = t.objectStore("inspections");
      const current = (await req(store.get(inspection.id))) as Inspection;
      assertEditable(current);
      store.put({ ...current, interviews: [...(current.interviews ?? []), entry], updated_at: now() });
    },
    [
      {
        name: "interview.record",
        args: {
          interview_id: entry.id,
          inspection_id: inspection.id,
          men: entry.men,
          women: entry.women,
          under_18: entry.under_18,
          ...(entry.note ? { note: entry.note } : {}),
        },
      },
    ],
  );
}

/** A measure's deadline as days after the inspection's visit date (today's local date only without one), as the
 * server counts it (`enforcement.service.deadline_for`), and the date those days give (kept in 0–365). */
export function deadlineOf(deadline: string | null | undefined, visitDate: string | null, today: string): {
  days: number | null;
  deadline: string | null;
} {
  if (!deadline) return { days: null, deadline: null };
  const base = visitDate || today;
  const days = Math.min(365, Math.max(0, Math.ceil((Date.parse(deadline) - Date.parse(base)) / 86_400_000)));
  return { days, deadline: plusDays(base, days) };
}

export async function recordAction(inspection: Inspection, action: Omit<Action, "id" | "inspection_id">): Promise<void> {
  const establishment = await getOne<Establishment>("establishments", inspection.establishment_id);
  const current = (await getOne<Inspection>("inspections", inspection.id)) ?? inspection;
  const visit = current.header.visit_date;
  const counted = deadlineOf(action.deadline, typeof visit === "string" ? visit : null, todayAt(establishment));
  const days = counted.days;
  // The days sent are kept: the content hash covers them (PROTOCOL.md §7.2), not the date they were counted from.
  const record: Action = {
    ...action,
    deadline: counted.deadline,
    id: uuid7(),
    inspection_id: inspection.id,
    deadline_days: days,
  };
  await commit(["actions"], (t) => void t.objectStore("actions").add(record), [
    {
      name: "action.record",
      args: {
        action_id: record.id,
        inspection_id: inspection.id,
        ...(action.item_id ? { item_id: action.item_id } : {}),
        measure: action.measure,
        ...(days !== null ? { deadline_days: days } : {}),
        ...(action.text ? { text: action.text } : {}),
      },
    },
  ]);
}

/** This device's rows of an inspection in the pulled shape (PROTOCOL.md §5: entity -> id -> data), from which
 * `attested.ts` builds the hashed document of `hash_version` 2: the same document the server builds from its
 * record and keeps as the submission snapshot. */
export async function attestedRows(inspection: Inspection): Promise<Rows> {
  const id = inspection.id;
  const [findings, notes, photos, actions] = await Promise.all([
    byIndex<Finding>("findings", "inspection", id),
    byIndex<Note>("notes", "inspection", id),
    byIndex<Photo>("photos", "inspection", id),
    byIndex<Action>("actions", "inspection", id),
  ]);
  const rows: Rows = {
    inspection: { [id]: { checklist: inspection.checklist, header: inspection.header } },
    finding: {},
    note: {},
    photo: {},
    signature: {},
    interview: {},
    action: {},
  };
  for (const f of findings) rows.finding[f.key] = { inspection_id: id, item_id: f.item_id, fields: f.fields };
  for (const n of notes) rows.note[n.id] = { inspection_id: id, item_id: n.item_id, text: n.text };
  for (const p of photos) {
    if (p.kind === "signature") {
      rows.signature[p.id] = {
        inspection_id: id,
        signer_name: p.signer_name ?? "",
        signer_role: p.signer_role ?? "employer",
        sha256: p.sha256,
      };
    } else {
      rows.photo[p.id] = {
        inspection_id: id,
        sha256: p.sha256,
        item_id: p.item_id,
        preview: p.preview_sha256 ? { sha256: p.preview_sha256 } : null,
        geo: p.geo ? { lat: p.geo.lat, lon: p.geo.lon, accuracy_m: p.geo.accuracy_m } : null,
        caption: p.caption ?? null,
      };
    }
  }
  for (const i of inspection.interviews ?? []) {
    rows.interview[i.id] = { inspection_id: id, men: i.men, women: i.women, under_18: i.under_18, note: i.note };
  }
  for (const a of actions) {
    rows.action[a.id] = {
      inspection_id: id,
      item_id: a.item_id,
      measure: a.measure,
      deadline_days: a.deadline_days ?? null,
      text: a.text,
    };
  }
  return rows;
}

/**
 * The visit date an earlier app version gave a new inspection was the UTC date of its clock (`toISOString`), so
 * one started at 07:30 in Beijing was dated the day before; the server keeps the local date of the start instead
 * (`device_sync/mirror.created_header`). Such a date — the UTC date of the creation where the local one differs —
 * is corrected here before hashing, so the device's hash and the server's snapshot agree. Null: nothing to fix.
 */
export function correctedVisitDate(
  inspection: Pick<Inspection, "header" | "created_at">,
  zone?: string | null,
): string | null {
  const given = inspection.header.visit_date;
  const created = new Date(inspection.created_at);
  if (typeof given !== "string" || Number.isNaN(created.getTime())) return null;
  const local = localDate(created, zone);
  return given === created.toISOString().slice(0, 10) && given !== local ? local : null;
}

/** Queue the submission; the record locks at once on this device. */
export async function submitInspection(inspection: Inspection): Promise<string> {
  assertEditable(inspection);
  const establishment = await getOne<Establishment>("establishments", inspection.establishment_id);
  const visitDate = correctedVisitDate(inspection, establishment?.time_zone);
  const header = visitDate ? { ...inspection.header, visit_date: visitDate } : inspection.header;
  // Hashed from what this device holds: the server's snapshot of the same record has the same SHA-256.
  const hash = await contentHashV2(await attestedRows({ ...inspection, header }), inspection.id);
  const fix = visitDate
    ? [
        {
          name: "inspection.update",
          args: { inspection_id: inspection.id, base_version: inspection.version, fields: { visit_date: visitDate } },
        },
      ]
    : [];
  await commit(
    ["inspections"],
    async (t) => {
      const store = t.objectStore("inspections");
      const current = (await req(store.get(inspection.id))) as Inspection;
      assertEditable(current);
      if (current.updated_at !== inspection.updated_at) throw new Error("the inspection changed; review it again");
      store.put({ ...current, header, status: "submit_queued", submitted_hash: hash, updated_at: now() });
    },
    [...fix, { name: "inspection.submit", args: { inspection_id: inspection.id, content_hash: hash } }],
  );
  return hash;
}

export async function resolveConflict(conflict: Conflict, choose: string, note: string): Promise<void> {
  await commit(
    ["conflicts"],
    (t) => void t.objectStore("conflicts").put({ ...conflict, resolving: true }),
    [{ name: "conflict.resolve", args: { conflict_id: conflict.id, choose, ...(note ? { note } : {}) } }],
  );
}

/** A value typed into a note, a value or a count field (typing.ts), saved unless it is what is stored. */
export async function saveTyped(entry: Typed): Promise<void> {
  const inspection = await loadInspection(entry.inspection_id);
  if (!inspection) throw new Error("the inspection is not on this device");
  if (entry.field === "remark" || entry.field === "value") {
    await recordFinding(inspection, entry.item_id, { [entry.field]: entry.value }, true);
  } else {
    await setWorkers(inspection, entry.item_id, { [entry.field]: Math.max(0, Math.floor(Number(entry.value))) || 0 }, true);
  }
}

export function loadInspection(id: string): Promise<Inspection | undefined> {
  return getOne<Inspection>("inspections", id);
}

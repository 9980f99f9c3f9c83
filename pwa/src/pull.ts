// Applying pulled pages (PROTOCOL.md §5): upsert by (entity, id) only when newer, and store the cursor in the
// same transaction. Records with unsynced local edits keep their local values and base version.
// Reference data (establishments with their history, checklists, orders) arrives through the same log.
import { putMeta, req, searchText, tx } from "./db";
import { dropUnsharedBytes } from "./blobs";
import type {
  Action,
  ChecklistRecord,
  Conflict,
  Establishment,
  Finding,
  Inspection,
  Interview,
  LocalNotice,
  Note,
  OutboxEntry,
  Photo,
  Review,
} from "./types";

export interface Change {
  version: number;
  entity: string;
  id: string;
  op: "upsert" | "delete";
  data?: Record<string, unknown> | null;
}

function dirtyKeys(outbox: OutboxEntry[]): Set<string> {
  const keys = new Set<string>();
  for (const e of outbox) {
    const a = e.args as Record<string, string>;
    if (e.name.startsWith("inspection.")) keys.add(`inspection:${a.inspection_id}`);
    if (e.name === "finding.record") keys.add(`finding:${a.inspection_id}/${a.item_id}`);
  }
  return keys;
}

// The inspections a queued mutation names: never dropped while the outbox still holds work on them.
function busyInspections(outbox: OutboxEntry[]): Set<string> {
  const ids = new Set<string>();
  for (const e of outbox) {
    const id = (e.args as Record<string, unknown>).inspection_id;
    if (typeof id === "string") ids.add(id);
  }
  return ids;
}

// A withdrawn inspection (team or district change): the record and what hangs on it leave the device, except
// photos whose bytes have not reached the server yet.
async function dropInspection(t: IDBTransaction, id: string): Promise<void> {
  t.objectStore("inspections").delete(id);
  for (const name of ["findings", "notes"] as const) {
    const store = t.objectStore(name);
    for (const key of await req(store.index("inspection").getAllKeys(id))) store.delete(key);
  }
  const photos = t.objectStore("photos");
  const freed = new Set<string>();
  for (const photo of (await req(photos.index("inspection").getAll(id))) as Photo[]) {
    if (!photo.uploaded) continue;
    photos.delete(photo.id);
    freed.add(photo.sha256);
    if (photo.preview_sha256) freed.add(photo.preview_sha256);
  }
  if (freed.size) {
    // The bytes go too, unless a photo that stays has the same ones.
    for (const kept of (await req(photos.getAll())) as Photo[]) {
      freed.delete(kept.sha256);
      if (kept.preview_sha256) freed.delete(kept.preview_sha256);
    }
    const chunks = t.objectStore("chunks");
    for (const sha of freed) chunks.delete(IDBKeyRange.bound([sha, 0], [sha, Infinity]));
  }
  const conflicts = t.objectStore("conflicts");
  for (const conflict of (await req(conflicts.getAll())) as Conflict[]) {
    if (conflict.inspection_id === id) conflicts.delete(conflict.id);
  }
}

function applyInspection(t: IDBTransaction, c: Change, local: Inspection | undefined, dirty: boolean): void {
  const d = c.data as Record<string, unknown>;
  if (local && local.version >= c.version) return;
  const status = d.status === "submitted" ? "submitted" : local?.status === "submit_queued" ? "submit_queued" : "draft";
  const base: Inspection = local ?? {
    id: c.id,
    establishment_id: String(d.establishment_id),
    checklist: String(d.checklist),
    type: "planned",
    team: [],
    lead: String(d.lead),
    status: "draft",
    header: {},
    version: 0,
    gps_start: { lat: null, lon: null, accuracy_m: null, at: new Date().toISOString() },
    interviews: [],
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
  };
  const next: Inspection = {
    ...base,
    lead: String(d.lead ?? base.lead),
    type: (d.type as Inspection["type"] | undefined) ?? base.type,
    team: (d.team as string[]) ?? base.team,
    status,
    submission_id: (d.submission_id as string | null) ?? null,
    submitted_hash: (d.submitted_hash as string | null) ?? base.submitted_hash ?? null,
    // The supervisor's decision is the server's alone: always taken, even while local edits are pending.
    review: (d.review as Review | null | undefined) ?? null,
    author: (d.author as string | null | undefined) ?? base.author ?? null,
  };
  if (!dirty || !local) {
    next.header = (d.header as Record<string, unknown>) ?? {};
    next.version = c.version;
  }
  t.objectStore("inspections").put(next);
}

function applyFinding(t: IDBTransaction, c: Change, local: Finding | undefined, dirty: boolean): void {
  const d = c.data as Record<string, unknown>;
  if (local && local.version >= c.version) return;
  if (local && dirty) return; // keep the local edit and its base version; the server merges per field
  const fields = (d.fields as Finding["fields"]) ?? {};
  const finding: Finding = {
    key: c.id,
    inspection_id: String(d.inspection_id),
    item_id: String(d.item_id),
    fields,
    version: c.version,
    workers: fields.workers_affected ?? local?.workers ?? { men: 0, women: 0, under_18: 0 },
    updated_at: new Date().toISOString(),
  };
  t.objectStore("findings").put(finding);
}

function applyEstablishment(t: IDBTransaction, c: Change, local: Establishment | undefined): void {
  if (local?.version !== undefined && local.version >= c.version) return;
  const d = c.data as Partial<Establishment>;
  const next = { ...local, ...d, id: c.id, version: c.version } as Establishment;
  t.objectStore("establishments").put({ ...next, search: searchText(next) });
}

function applyChecklist(t: IDBTransaction, c: Change): void {
  const d = c.data as Partial<ChecklistRecord>;
  if (!d.definition) return;
  const record: ChecklistRecord = {
    ref: c.id,
    key: String(d.definition.key ?? d.key),
    // The checklist's own version: a pulled row's `version` is the change-log counter (PROTOCOL.md §5).
    version: Number(d.definition.version ?? c.id.split("@")[1]),
    sha256: String(d.sha256 ?? ""),
    title: d.title ?? d.definition.title,
    definition: d.definition,
  };
  t.objectStore("checklists").put(record);
}

function applyAction(t: IDBTransaction, c: Change, local: Action | undefined): void {
  if (local?.version !== undefined && local.version >= c.version) return;
  const d = c.data as Record<string, unknown>;
  const action: Action = {
    ...local,
    id: c.id,
    inspection_id: String(d.inspection_id),
    item_id: (d.item_id as string | null) ?? null,
    measure: d.measure as Action["measure"],
    deadline: (d.deadline as string | null) ?? local?.deadline ?? null,
    deadline_days: d.deadline_days === undefined ? (local?.deadline_days ?? null) : (d.deadline_days as number | null),
    text: String(d.text ?? local?.text ?? ""),
    establishment_id: d.establishment_id ? String(d.establishment_id) : local?.establishment_id,
    status: (d.status as Action["status"]) ?? local?.status,
    verify_in: d.verify_in === undefined ? local?.verify_in : ((d.verify_in as string | null) ?? null),
    version: c.version,
  };
  t.objectStore("actions").put(action);
}

const STORES = [
  "meta",
  "chunks",
  "outbox",
  "inspections",
  "findings",
  "notes",
  "photos",
  "conflicts",
  "establishments",
  "checklists",
  "actions",
  "notices",
] as const;

export async function applyPage(changes: Change[], cursor: number): Promise<void> {
  await tx([...STORES], "readwrite", async (t) => {
    const outbox = (await req(t.objectStore("outbox").getAll())) as OutboxEntry[];
    const dirty = dirtyKeys(outbox);
    const busy = busyInspections(outbox);
    // A withdrawn inspection the outbox still had work on waits here until that work is sent (and answered).
    const held = (await req(t.objectStore("meta").get("withdrawn"))) as { value: string[] } | undefined;
    const withdrawn = new Set(held?.value ?? []);
    for (const c of changes) {
      if (c.op === "delete") {
        // Never delete what has unsynced local edits. Complaints are not kept on the device; a published
        // checklist is never withdrawn: drafts may still use it.
        if (c.entity === "inspection") withdrawn.add(c.id);
        if (c.entity === "establishment") t.objectStore("establishments").delete(c.id);
        if (c.entity === "action") t.objectStore("actions").delete(c.id);
        continue;
      }
      const d = (c.data ?? {}) as Record<string, unknown>;
      switch (c.entity) {
        case "inspection": {
          const local = (await req(t.objectStore("inspections").get(c.id))) as Inspection | undefined;
          applyInspection(t, c, local, dirty.has(`inspection:${c.id}`));
          break;
        }
        case "finding": {
          const local = (await req(t.objectStore("findings").get(c.id))) as Finding | undefined;
          applyFinding(t, c, local, dirty.has(`finding:${c.id}`));
          break;
        }
        case "note": {
          const note: Note = {
            id: c.id,
            inspection_id: String(d.inspection_id),
            item_id: String(d.item_id),
            text: String(d.text),
          };
          t.objectStore("notes").put(note);
          break;
        }
        case "photo":
        case "signature": {
          const store = t.objectStore("photos");
          const local = (await req(store.get(c.id))) as Photo | undefined;
          if (d.detached) {
            // Removed before submission (photo.detach): the row and its bytes leave this device too.
            if (local) {
              store.delete(c.id);
              await dropUnsharedBytes(t, [local.sha256, local.preview_sha256], c.id);
            }
          } else if (!local) {
            // Someone else's photo or signature: already on the server, bytes not on this device. Its preview,
            // position and signer are kept (shown, and hashed if this device submits: PROTOCOL.md §7.2).
            const preview = (d.preview ?? null) as { sha256?: string; mime?: string; bytes?: number } | null;
            const geo = (d.geo ?? null) as { lat?: number | null; lon?: number | null; accuracy_m?: number | null } | null;
            const photo: Photo = {
              id: c.id,
              kind: c.entity,
              inspection_id: String(d.inspection_id),
              item_id: (d.item_id as string | null) ?? null,
              sha256: String(d.sha256),
              bytes: Number(d.bytes ?? 0),
              mime: String(d.mime ?? "image/png"),
              preview_sha256: preview?.sha256 ?? null,
              preview_mime: preview?.sha256 ? (preview.mime ?? "image/jpeg") : null,
              preview_bytes: preview?.bytes ?? null,
              geo: geo
                ? {
                    lat: geo.lat ?? null,
                    lon: geo.lon ?? null,
                    accuracy_m: geo.accuracy_m ?? null,
                    at: String(d.taken_at ?? d.created_at ?? ""),
                  }
                : null,
              ...(typeof d.caption === "string" ? { caption: d.caption } : {}),
              ...(c.entity === "signature"
                ? { signer_name: String(d.signer_name ?? ""), signer_role: String(d.signer_role ?? "employer") }
                : {}),
              uploaded: true,
              created_at: new Date().toISOString(),
            };
            store.put(photo);
          }
          break;
        }
        case "interview": {
          // Interviews are append-only: add one another device recorded, keep the ones already here.
          const store = t.objectStore("inspections");
          const inspection = (await req(store.get(String(d.inspection_id)))) as Inspection | undefined;
          if (inspection && !(inspection.interviews ?? []).some((i) => i.id === c.id)) {
            const interview: Interview = {
              id: c.id,
              men: Number(d.men ?? 0),
              women: Number(d.women ?? 0),
              under_18: Number(d.under_18 ?? 0),
              note: String(d.note ?? ""),
              at: String(d.created_at ?? new Date().toISOString()),
            };
            store.put({ ...inspection, interviews: [...(inspection.interviews ?? []), interview] });
          }
          break;
        }
        case "conflict": {
          const conflict = { id: c.id, ...d } as unknown as Conflict;
          t.objectStore("conflicts").put(conflict);
          break;
        }
        case "establishment": {
          const local = (await req(t.objectStore("establishments").get(c.id))) as Establishment | undefined;
          applyEstablishment(t, c, local);
          break;
        }
        case "checklist":
          applyChecklist(t, c);
          break;
        case "action": {
          const local = (await req(t.objectStore("actions").get(c.id))) as Action | undefined;
          applyAction(t, c, local);
          break;
        }
        case "notice": {
          // This user's notice as the server holds it: its number, state and the frozen content's hash.
          const store = t.objectStore("notices");
          const local = (await req(store.get(c.id))) as LocalNotice | undefined;
          const server = {
            // A void still queued here stays voided: the server's row will say so once it is sent.
            status: d.status === "voided" || local?.status === "voided" ? ("voided" as const) : ("issued" as const),
            number: String(d.number ?? local?.number ?? ""),
            sha256: (d.sha256 as string | null | undefined) ?? null,
          };
          store.put({
            id: c.id,
            action_id: (d.action_id as string | null) ?? null,
            block_id: String(d.block_id ?? ""),
            org_unit_id: local?.org_unit_id ?? "",
            serial: Number(d.serial ?? 0),
            issued_at: local?.issued_at ?? new Date().toISOString(),
            ...local,
            ...server,
          } satisfies LocalNotice);
          break;
        }
        default:
          break; // submissions, complaints: not shown on the device yet
      }
      if (c.entity === "inspection") withdrawn.delete(c.id); // granted again after the delete
    }
    for (const id of withdrawn) {
      if (busy.has(id)) continue;
      await dropInspection(t, id);
      withdrawn.delete(id);
    }
    putMeta(t, "withdrawn", [...withdrawn]);
    putMeta(t, "cursor", cursor);
  });
}

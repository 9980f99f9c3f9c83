// Applying pulled pages (PROTOCOL.md §5): upsert by (entity, id) only when newer, and store the cursor in the
// same transaction. Records with unsynced local edits keep their local values and base version.
import { putMeta, req, tx } from "./db";
import type { Conflict, Finding, Inspection, Interview, Note, OutboxEntry, Photo } from "./types";

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

export async function applyPage(changes: Change[], cursor: number): Promise<void> {
  await tx(["meta", "outbox", "inspections", "findings", "notes", "photos", "conflicts"], "readwrite", async (t) => {
    const dirty = dirtyKeys((await req(t.objectStore("outbox").getAll())) as OutboxEntry[]);
    for (const c of changes) {
      if (c.op === "delete") {
        // Never delete what has unsynced local edits.
        if (c.entity === "inspection" && !dirty.has(`inspection:${c.id}`)) t.objectStore("inspections").delete(c.id);
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
          if (!local) {
            const photo: Photo = {
              id: c.id,
              kind: c.entity,
              inspection_id: String(d.inspection_id),
              item_id: (d.item_id as string | null) ?? null,
              sha256: String(d.sha256),
              bytes: Number(d.bytes ?? 0),
              mime: String(d.mime ?? "image/png"),
              preview_sha256: null,
              preview_mime: null,
              geo: null,
              uploaded: true, // someone else's photo: already on the server, bytes not on this device
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
        default:
          break; // submissions, complaints, actions: not shown on the device yet
      }
    }
    putMeta(t, "cursor", cursor);
  });
}

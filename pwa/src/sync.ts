// The sync runner: upload blobs, push the outbox, pull changes. One runner per device across tabs (Web Locks).
// Triggers: start, `online`, visibility, a timer with backoff and jitter, soon after a local write, "Sync now".
import { ApiError } from "./api";
import { readBlob } from "./blobs";
import { getAll, getMeta, putMeta, req, tx } from "./db";
import { describe } from "./errors";
import { setAfterWrite, type SeqState } from "./outbox";
import { applyPage } from "./pull";
import { refreshReference } from "./reference";
import { httpTransport, type MutationResult, type SyncTransport } from "./transport";
import type { Conflict, Inspection, Outcome, OutboxEntry, Photo } from "./types";

declare const __APP_VERSION__: string;

export interface SyncState {
  running: boolean;
  last_success: string | null;
  last_attempt: string | null;
  last_error: string | null; // an error code or message
  failures: number;
  blocked: string | null; // a reason sync is stopped until the user acts (426, 401, seq alarm)
}

let batchSize = 100; // lowered when the server answers 413 sync.batch_too_large with its max_batch
const OK_INTERVAL_MS = 60_000;
let transport: SyncTransport = httpTransport;
let deviceId: string | null = null;
let state: SyncState = {
  running: false,
  last_success: null,
  last_attempt: null,
  last_error: null,
  failures: 0,
  blocked: null,
};
const listeners = new Set<(s: SyncState) => void>();
let timer: ReturnType<typeof setTimeout> | null = null;
let writeTimer: ReturnType<typeof setTimeout> | null = null;
let inFlight: Promise<void> | null = null;

export function setTransport(t: SyncTransport): void {
  transport = t;
}

export function syncState(): SyncState {
  return state;
}

export function onSyncState(listener: (s: SyncState) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function update(patch: Partial<SyncState>): Promise<void> {
  state = { ...state, ...patch };
  listeners.forEach((l) => l(state));
  const { running: _r, ...persisted } = state;
  try {
    await tx(["meta"], "readwrite", (t) => putMeta(t, "sync", persisted));
  } catch {
    /* the status line is best effort; data writes report their own errors */
  }
}

function finalOutcome(r: MutationResult): { outcome: string; reason?: string | null; detail?: string | null; data?: Record<string, unknown> | null } {
  return r.outcome === "duplicate" && r.original ? r.original : r;
}

/** Apply one push response: drop acknowledged entries, record outcomes, unlock or finish submissions. */
async function acknowledge(sent: OutboxEntry[], lastSeq: number, results: MutationResult[]): Promise<void> {
  const bySeq = new Map(results.map((r) => [r.seq, r]));
  await tx(["meta", "outbox", "outcomes", "inspections", "conflicts"], "readwrite", async (t) => {
    for (const entry of sent) {
      if (entry.seq > lastSeq) continue;
      t.objectStore("outbox").delete(entry.seq);
      const result = bySeq.get(entry.seq);
      if (!result) continue;
      const final = finalOutcome(result);
      const a = entry.args as Record<string, string>;
      if (final.outcome === "conflict" || final.outcome === "rejected") {
        const outcome: Outcome = {
          seq: entry.seq,
          id: entry.id,
          name: entry.name,
          args: entry.args,
          outcome: final.outcome,
          reason: final.reason ?? null,
          detail: final.detail ?? null,
          at: new Date().toISOString(),
          dismissed: false,
        };
        t.objectStore("outcomes").put(outcome);
      }
      if (entry.name === "inspection.submit") {
        const store = t.objectStore("inspections");
        const inspection = (await req(store.get(a.inspection_id))) as Inspection | undefined;
        if (inspection) {
          const applied = final.outcome === "applied";
          const data = (final.data ?? {}) as Record<string, string>;
          store.put({
            ...inspection,
            status: applied ? "submitted" : "draft", // a refused submit unlocks the record
            submission_id: applied ? (data.submission_id ?? null) : null,
            submitted_hash: applied ? (data.server_hash ?? inspection.submitted_hash) : null,
          });
        }
      }
      if (entry.name === "conflict.resolve") {
        const store = t.objectStore("conflicts");
        const conflict = (await req(store.get(a.conflict_id))) as Conflict | undefined;
        if (conflict) {
          const applied = final.outcome === "applied";
          store.put({ ...conflict, resolving: false, status: applied ? "resolved" : conflict.status });
        }
      }
    }
    const seq = ((await req(t.objectStore("meta").get("seq"))) as { value: SeqState } | undefined)?.value;
    if (seq) putMeta(t, "seq", { ...seq, acked_seq: Math.max(seq.acked_seq, lastSeq) });
  });
}

async function markAttempt(sent: OutboxEntry[], error: string): Promise<void> {
  await tx(["outbox"], "readwrite", async (t) => {
    const store = t.objectStore("outbox");
    for (const entry of sent) {
      const current = (await req(store.get(entry.seq))) as OutboxEntry | undefined;
      if (current) store.put({ ...current, attempts: current.attempts + 1, last_error: error });
    }
  });
}

async function uploadBlobs(): Promise<Set<string>> {
  const photos = (await getAll<Photo>("photos")).filter((p) => !p.uploaded);
  const failed = new Set<string>();
  for (const photo of photos) {
    try {
      if (!(await transport.blobVerified(photo.sha256))) {
        let status = await transport.blobCreate(photo.sha256, photo.bytes, photo.mime);
        let offset = status.offset;
        let verified = status.verified;
        const bytes = verified ? null : await readBlob(photo.sha256); // re-hashed on read
        while (bytes && !verified) {
          try {
            const chunk = bytes.slice(offset, offset + (status.chunk_max || 1024 * 1024));
            ({ offset, verified } = await transport.blobPatch(photo.sha256, offset, chunk));
            if (!verified && offset >= bytes.byteLength) throw new Error("upload complete but not verified");
          } catch (error) {
            if (error instanceof ApiError && error.code === "blob.offset_mismatch") {
              offset = Number(error.body.offset ?? 0);
              continue;
            }
            if (error instanceof ApiError && error.code === "blob.not_found") {
              status = await transport.blobCreate(photo.sha256, photo.bytes, photo.mime);
              offset = status.offset;
              continue;
            }
            throw error;
          }
        }
      }
      await tx(["photos"], "readwrite", async (t) => {
        const store = t.objectStore("photos");
        const current = (await req(store.get(photo.id))) as Photo;
        store.put({ ...current, uploaded: true, upload_error: undefined });
      });
    } catch (error) {
      failed.add(photo.inspection_id);
      const message = error instanceof ApiError ? error.code : describe(error);
      await tx(["photos"], "readwrite", async (t) => {
        const store = t.objectStore("photos");
        const current = (await req(store.get(photo.id))) as Photo;
        store.put({ ...current, upload_error: message });
      });
      if (error instanceof ApiError && error.status === 0) throw error; // offline: stop this run
    }
  }
  return failed;
}

async function pushAll(blockedInspections: Set<string>): Promise<void> {
  for (;;) {
    const outbox = (await getAll<OutboxEntry>("outbox")).sort((a, b) => a.seq - b.seq);
    // A submission waits until its photos are uploaded (the server would refuse it otherwise).
    const stop = outbox.findIndex(
      (e) => e.name === "inspection.submit" && blockedInspections.has(String(e.args.inspection_id)),
    );
    const ready = stop === -1 ? outbox : outbox.slice(0, stop);
    const batch = ready.slice(0, batchSize);
    if (!batch.length) return;
    let response;
    try {
      response = await transport.push(
        deviceId!,
        __APP_VERSION__,
        batch.map(({ id, seq, name, v, client_ts, args }) => ({ id, seq, name, v, client_ts, args })),
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === "sync.batch_too_large" && Number(error.body.max_batch) > 0) {
        batchSize = Math.min(batchSize, Number(error.body.max_batch));
        continue; // same entries, smaller batches
      }
      await markAttempt(batch, error instanceof ApiError ? error.code : describe(error));
      throw error;
    }
    await acknowledge(batch, response.last_seq, response.results);
    if (response.last_seq < batch[batch.length - 1].seq) throw new Error("the server acknowledged only part of a batch");
  }
}

async function pullAll(): Promise<void> {
  let cursor = (await getMeta<number>("cursor")) ?? 0;
  for (;;) {
    let page;
    try {
      page = await transport.pull(deviceId!, cursor, 500);
    } catch (error) {
      if (error instanceof ApiError && error.code === "sync.cursor_expired" && cursor !== 0) {
        cursor = 0; // pull everything again; the outbox is never touched
        continue;
      }
      throw error;
    }
    await applyPage(page.changes, page.cursor);
    cursor = page.cursor;
    if (!page.more) return;
  }
}

async function runOnce(): Promise<void> {
  if (!deviceId || state.blocked) return;
  await update({ running: true, last_attempt: new Date().toISOString() });
  try {
    const blocked = await uploadBlobs();
    await pushAll(blocked);
    await pullAll();
    await refreshReference(false); // after the user's data: a failure here must not hold back push/pull
    await update({ running: false, last_success: new Date().toISOString(), last_error: null, failures: 0 });
    schedule(OK_INTERVAL_MS);
  } catch (error) {
    const code = error instanceof ApiError ? error.code : describe(error);
    const patch: Partial<SyncState> = { running: false, last_error: code, failures: state.failures + 1 };
    if (error instanceof ApiError) {
      if (error.status === 426) patch.blocked = "sync.protocol_version";
      if (error.status === 401) patch.blocked = "auth.expired";
      const alarms = ["sync.seq_reused", "sync.id_reused", "sync.seq_gap", "sync.device_mismatch", "sync.device_not_registered"];
      if (alarms.includes(error.code)) {
        patch.blocked = error.code;
      }
    }
    await update(patch);
    const backoff = Math.min(15 * 60_000, 15_000 * 2 ** Math.min(state.failures, 6));
    schedule(backoff * (0.5 + Math.random()));
  }
}

/** Run a sync now, unless one is already running in this tab or another tab holds the lock. */
export function syncNow(): Promise<void> {
  if (inFlight) return inFlight;
  const run = async () => {
    if (navigator.locks) {
      await navigator.locks.request("li-sync", { ifAvailable: true }, async (lock) => {
        if (lock) await runOnce();
      });
    } else {
      await runOnce();
    }
  };
  inFlight = run().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

function schedule(ms: number): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    if (document.visibilityState === "visible") void syncNow();
    else schedule(OK_INTERVAL_MS);
  }, ms);
}

export async function startSync(device: string): Promise<void> {
  deviceId = device;
  const saved = await getMeta<Omit<SyncState, "running">>("sync");
  if (saved) state = { ...state, ...saved, running: false, blocked: null };
  setAfterWrite(() => {
    if (writeTimer) clearTimeout(writeTimer);
    writeTimer = setTimeout(() => void syncNow(), 1500);
  });
  window.addEventListener("online", () => void syncNow());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void syncNow();
  });
  void syncNow();
}

export function unblock(): void {
  void update({ blocked: null });
}

export async function pendingCount(): Promise<number> {
  return (await getAll<OutboxEntry>("outbox")).length;
}

// The sync runner: upload blobs, push the outbox, pull changes. One runner per device across tabs (Web Locks).
// Triggers: start, `online`, visibility, a timer with backoff and jitter, soon after a local write, "Sync now".
import { ApiError, currentToken, setToken } from "./api";
import { readBlob } from "./blobs";
import { getAll, getMeta, putMeta, req, tx } from "./db";
import { describe } from "./errors";
import { setAfterWrite, type SeqState } from "./outbox";
import { refreshNoticeBlocks } from "./notices";
import { applyPage } from "./pull";
import { refreshReference } from "./reference";
import { uuid7 } from "./ids";
import { httpTransport, type MutationResult, type SyncTransport } from "./transport";
import type { Action, Conflict, Device, Inspection, LocalNotice, Outcome, OutboxEntry, Photo } from "./types";
import { isWipe, WIPE, wipeDevice } from "./wipe";

declare const __APP_VERSION__: string;

export interface SyncState {
  running: boolean;
  last_success: string | null;
  last_attempt: string | null;
  last_error: string | null; // an error code or message
  failures: number;
  blocked: string | null; // a reason sync is stopped until the user acts (426, 401, seq alarm)
  next_retry?: string | null; // when the next automatic attempt runs after a failure
}

export const AUTH_EXPIRED = "auth.expired";
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
let again: Promise<void> | null = null; // one more run queued behind ``inFlight``
let wiped = false; // told to wipe (`401 device.wipe`): this page never syncs again

export function setTransport(t: SyncTransport): void {
  transport = t;
}

/** Whether a sync error only says the network could not be reached (offline: nothing is wrong). */
export function isOffline(lastError: string | null): boolean {
  return lastError === "network";
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

/** The stable code of a refusal: the server's problem code when it sent one, else the protocol reason. */
export function refusalCode(r: { reason?: string | null; data?: Record<string, unknown> | null }): string {
  const code = r.data?.code;
  return typeof code === "string" ? code : (r.reason ?? "refused");
}

/** Whether a refused notice's serial is voided on the server: not when the server holds a row for it already
 * (`exists` without a code: that very notice; `notice.number_taken`) nor when the block is not the user's or the
 * serial is outside it (the server could not void it either). */
export function voidsRefused(code: string): boolean {
  return !["exists", "notice.number_taken", "notice.block_not_found", "notice.serial_outside_block"].includes(code);
}

/** What a refusal keeps of the change's arguments: a complaint only what names it on the home screen (the
 * establishment, or the unregistered workplace's name), never its summary, which may name the complainant. */
export function keptArgs(entry: Pick<OutboxEntry, "name" | "args">): Record<string, unknown> {
  if (entry.name !== "complaint.create") return entry.args;
  const { establishment_id, workplace_name } = entry.args;
  return typeof establishment_id === "string" ? { establishment_id } : typeof workplace_name === "string" ? { workplace_name } : {};
}

/** Dismiss a refusal on the home screen: a complaint's is deleted (nothing of it stays on the tablet). */
export async function dismissOutcome(outcome: Outcome): Promise<void> {
  await tx(["outcomes"], "readwrite", (t) => {
    const store = t.objectStore("outcomes");
    if (outcome.name === "complaint.create") store.delete(outcome.seq);
    else store.put({ ...outcome, dismissed: true });
  });
}

/** Apply one push response: drop acknowledged entries, record outcomes, unlock or finish submissions; a refused
 * follow-up result is un-recorded on its measure in the same transaction (the buttons come back), a refused notice
 * is marked refused (its number is not used again; the measure may be issued another) and its serial is sent as
 * `notice.void` in the same transaction, so the server records the number voided. */
export async function acknowledge(sent: OutboxEntry[], lastSeq: number, results: MutationResult[]): Promise<void> {
  const bySeq = new Map(results.map((r) => [r.seq, r]));
  const queued: { name: string; args: Record<string, unknown> }[] = []; // sent after, in the same transaction
  await tx(["meta", "outbox", "outcomes", "inspections", "conflicts", "actions", "notices"], "readwrite", async (t) => {
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
          args: keptArgs(entry),
          outcome: final.outcome,
          reason: final.reason ?? null,
          detail: final.detail ?? null,
          data: final.data ?? null,
          at: new Date().toISOString(),
          dismissed: false,
        };
        t.objectStore("outcomes").put(outcome);
        if (entry.name === "follow_up.result") {
          const store = t.objectStore("actions");
          const action = (await req(store.get(a.action_id))) as Action | undefined;
          if (action?.follow_up_in === a.inspection_id) {
            const { follow_up_result: _r, follow_up_in: _i, ...unrecorded } = action;
            store.put(unrecorded);
          }
        }
        if (entry.name === "notice.issue") {
          const store = t.objectStore("notices");
          const notice = (await req(store.get(a.notice_id))) as LocalNotice | undefined;
          const code = refusalCode(final);
          if (notice) store.put({ ...notice, status: "refused", void_reason: `refused: ${code}` });
          if (voidsRefused(code)) {
            // The server has no row for the serial (a paper copy may be with the employer): record it voided.
            const serial = Number(entry.args.serial);
            queued.push({ name: "notice.void", args: { block_id: a.block_id, serial, reason: `refused: ${code}` } });
          }
        }
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
    if (seq) {
      let next = seq.next_seq;
      for (const m of queued) {
        const entry: OutboxEntry = {
          seq: next, id: uuid7(), name: m.name, v: 1, client_ts: new Date().toISOString(), args: m.args, attempts: 0, last_error: null,
        };
        t.objectStore("outbox").add(entry);
        next += 1;
      }
      putMeta(t, "seq", { ...seq, next_seq: next, acked_seq: Math.max(seq.acked_seq, lastSeq) });
    }
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

/** Upload one blob resumably (PROTOCOL.md §8): HEAD says whether it is there and from which offset to go on,
 * POST opens an unknown one, PATCH sends the rest chunk by chunk; a dropped chunk resumes from the server's offset. */
async function uploadBlob(sha256: string, size: number, mime: string): Promise<void> {
  const head = await transport.blobHead(sha256);
  if (head?.verified) return; // already there (deduplicated): nothing to send
  // A partial upload resumes from the offset the server reports (HEAD); only an unknown blob is created.
  let status = head ? { offset: head.offset, verified: false, chunk_max: 0 } : await transport.blobCreate(sha256, size, mime);
  let offset = status.offset;
  let verified = status.verified;
  const bytes = verified ? null : await readBlob(sha256); // re-hashed on read
  while (bytes && !verified) {
    try {
      const chunk = bytes.slice(offset, offset + (status.chunk_max || 1024 * 1024));
      ({ offset, verified } = await transport.blobPatch(sha256, offset, chunk));
      if (!verified && offset >= bytes.byteLength) throw new Error("upload complete but not verified");
    } catch (error) {
      if (error instanceof ApiError && error.code === "blob.offset_mismatch") {
        offset = Number(error.body.offset ?? 0);
        continue;
      }
      if (error instanceof ApiError && error.code === "blob.not_found") {
        status = await transport.blobCreate(sha256, size, mime);
        offset = status.offset;
        continue;
      }
      throw error;
    }
  }
}

async function markPhoto(id: string, patch: Partial<Photo>): Promise<void> {
  await tx(["photos"], "readwrite", async (t) => {
    const store = t.objectStore("photos");
    const current = (await req(store.get(id))) as Photo | undefined;
    if (current) store.put({ ...current, ...patch });
  });
}

/** Downscaled copies first (quick to send, enough to look at), then the originals (the evidence), which every
 * submission waits for. Returns the inspections whose photos could not all be uploaded. */
async function uploadBlobs(): Promise<Set<string>> {
  const photos = await getAll<Photo>("photos");
  const failed = new Set<string>();
  const passes: [Photo, "preview" | "original"][] = [
    ...photos.filter((p) => p.preview_sha256 && p.preview_bytes && !p.preview_uploaded).map((p) => [p, "preview"] as [Photo, "preview"]),
    ...photos.filter((p) => !p.uploaded).map((p) => [p, "original"] as [Photo, "original"]),
  ];
  for (const [photo, which] of passes) {
    try {
      if (which === "preview") {
        await uploadBlob(photo.preview_sha256!, photo.preview_bytes ?? 0, photo.preview_mime ?? "image/jpeg");
        await markPhoto(photo.id, { preview_uploaded: true });
      } else {
        await uploadBlob(photo.sha256, photo.bytes, photo.mime);
        await markPhoto(photo.id, { uploaded: true, upload_error: undefined });
      }
    } catch (error) {
      if (which === "original") failed.add(photo.inspection_id); // a submission needs the originals only
      await markPhoto(photo.id, { upload_error: error instanceof ApiError ? error.code : describe(error) });
      if (error instanceof ApiError && (error.status === 0 || error.status === 401)) throw error; // stop this run
    }
  }
  return failed;
}

/**
 * After a re-registration (moveOutbox in auth.ts), an entry first queued under the earlier registration may
 * already have been applied by the server for it (its response lost). The server then refuses the same id from
 * this device (`422 sync.id_reused`, nothing committed): that entry is on the server exactly once, so drop it
 * and close the gap. Every entry from its seq on was refused with it and never seen by the server under this
 * device id, so moving them down by one is not a renumbering the server could notice.
 */
async function dropDeliveredElsewhere(mutationId: string): Promise<boolean> {
  return tx(["meta", "outbox"], "readwrite", async (t) => {
    const store = t.objectStore("outbox");
    const all = ((await req(store.getAll())) as OutboxEntry[]).sort((a, b) => a.seq - b.seq);
    const gone = all.find((e) => e.id === mutationId);
    if (!gone || !gone.handed_over_from) return false;
    const later = all.filter((e) => e.seq > gone.seq);
    store.delete(gone.seq);
    for (const e of later) store.delete(e.seq);
    for (const e of later) store.put({ ...e, seq: e.seq - 1 });
    const seq = ((await req(t.objectStore("meta").get("seq"))) as { value: SeqState }).value;
    putMeta(t, "seq", { ...seq, next_seq: seq.next_seq - 1 });
    return true;
  });
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
      if (
        error instanceof ApiError &&
        error.code === "sync.id_reused" &&
        batch.some((e) => e.handed_over_from) &&
        (await dropDeliveredElsewhere(String(error.body.mutation_id ?? "")))
      ) {
        continue;
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

/** The device record in IndexedDB is the truth for every tab: after "Sign in again" in one tab (a fresh token,
 * or a new registration), the others continue with it instead of failing with the old token. */
async function adoptStoredDevice(): Promise<void> {
  const stored = await getMeta<Device>("device");
  if (!stored || (stored.id === deviceId && stored.token === currentToken())) return;
  deviceId = stored.id;
  setToken(stored.token);
  if (state.blocked === AUTH_EXPIRED) state = { ...state, blocked: null };
}

/** The server said this tablet may hold nothing any more: stop every trigger, then delete it all (wipe.ts). */
async function wipeNow(): Promise<void> {
  wiped = true;
  if (timer) clearTimeout(timer);
  if (writeTimer) clearTimeout(writeTimer);
  setAfterWrite(() => undefined);
  state = { ...state, running: false, blocked: WIPE, last_error: WIPE, next_retry: null };
  listeners.forEach((l) => l(state));
  await wipeDevice();
}

async function runOnce(): Promise<void> {
  if (wiped) return;
  if (deviceId) await adoptStoredDevice();
  if (!deviceId || state.blocked) return;
  await update({ running: true, last_attempt: new Date().toISOString() });
  try {
    const blocked = await uploadBlobs();
    await pushAll(blocked);
    await pullAll();
    // Numbers for notices issued offline: a failure here (a server without the route) must not fail the sync.
    await refreshNoticeBlocks().catch(() => undefined);
    await refreshReference(false); // after the user's data: a failure here must not hold back push/pull
    await update({ running: false, last_success: new Date().toISOString(), last_error: null, failures: 0, next_retry: null });
    schedule(OK_INTERVAL_MS);
  } catch (error) {
    if (isWipe(error)) return wipeNow(); // whatever step heard it (a blob probe, the push, the pull)
    const code = error instanceof ApiError ? error.code : describe(error);
    const patch: Partial<SyncState> = { running: false, last_error: code, failures: state.failures + 1 };
    if (error instanceof ApiError) {
      if (error.status === 426) patch.blocked = "sync.protocol_version";
      if (error.status === 401) patch.blocked = AUTH_EXPIRED; // the outbox stays; the user signs in again
      const alarms = ["sync.seq_reused", "sync.id_reused", "sync.seq_gap", "sync.device_mismatch", "sync.device_not_registered"];
      if (alarms.includes(error.code)) {
        patch.blocked = error.code;
      }
    }
    // Exponential backoff with jitter: ~5 s, 10 s, 20 s … up to 15 minutes (a brief 503 heals quickly).
    const backoff = Math.min(15 * 60_000, 5_000 * 2 ** Math.min(patch.failures! - 1, 8)) * (0.5 + Math.random());
    patch.next_retry = patch.blocked ? null : new Date(Date.now() + backoff).toISOString();
    await update(patch);
    schedule(backoff);
  }
}

/** Run a sync now, unless another tab holds the lock. A request made while this tab is syncing (the network
 *  came back, "Sync now") runs once more right after, so it is never lost behind a run that started earlier. */
export function syncNow(): Promise<void> {
  if (inFlight) {
    if (!again) again = inFlight.then(() => ((again = null), syncNow()));
    return again;
  }
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
  window.addEventListener("online", () => {
    // The network is back: failures while offline say nothing about the server, so back off from the start.
    if (!state.running) state = { ...state, failures: 0 };
    void syncNow();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void syncNow();
  });
  void syncNow();
}

export function unblock(): void {
  void update({ blocked: null });
}

/** After signing in again: continue with the (possibly re-registered) device, the same outbox, at once. */
export async function resumeAs(device: string): Promise<void> {
  deviceId = device;
  await update({ blocked: null, failures: 0 });
  await syncNow();
}

export async function pendingCount(): Promise<number> {
  return (await getAll<OutboxEntry>("outbox")).length;
}

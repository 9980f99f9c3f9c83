// Photo and signature bytes: hashed in a Web Worker, stored as ArrayBuffer chunks keyed (sha256, index),
// read back and re-hashed before use (detects storage corruption).
import { sha256Hex } from "./canonical";
import { req, tx } from "./db";
import { Damaged } from "./seal";

declare const __HASH_WORKER_URL__: string;

export const CHUNK = 1024 * 1024;
export const PREVIEW_PX = 2048; // longest side of the downscaled copy (SYNC.md §2.5)

interface HashReply {
  id: number;
  sha256?: string;
  preview?: ArrayBuffer;
  previewMime?: string;
  previewSha256?: string;
  error?: string;
}

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, (reply: HashReply) => void>();

function hashWorker(): Worker {
  if (!worker) {
    worker = new Worker(__HASH_WORKER_URL__, { type: "module" });
    worker.onmessage = (event: MessageEvent<HashReply>) => {
      waiting.get(event.data.id)?.(event.data);
      waiting.delete(event.data.id);
    };
  }
  return worker;
}

export interface Hashed {
  sha256: string;
  preview: ArrayBuffer | null;
  previewMime: string | null;
  previewSha256: string | null;
}

/** Hash the original bytes, and make and hash a downscaled JPEG copy, off the main thread. */
export function hashInWorker(bytes: ArrayBuffer, mime: string, maxPx = PREVIEW_PX): Promise<Hashed> {
  const id = nextId++;
  const copy = bytes.slice(0); // the original stays with the caller
  return new Promise((resolve, reject) => {
    waiting.set(id, (reply) => {
      if (reply.error || !reply.sha256) reject(new Error(reply.error ?? "hashing failed"));
      else
        resolve({
          sha256: reply.sha256,
          preview: reply.preview ?? null,
          previewMime: reply.previewMime ?? null,
          previewSha256: reply.previewSha256 ?? null,
        });
    });
    hashWorker().postMessage({ id, bytes: copy, mime, maxPx }, [copy]);
  });
}

/** Issue the chunk writes on an open transaction (which must include "chunks"). A derivative (the downscaled
 * copy of a photo) names the original it was made from in `derived_from`. */
export function putChunks(t: IDBTransaction, sha256: string, bytes: ArrayBuffer, derivedFrom?: string): void {
  const store = t.objectStore("chunks");
  const count = Math.max(1, Math.ceil(bytes.byteLength / CHUNK));
  for (let index = 0; index < count; index++) {
    const data = bytes.slice(index * CHUNK, (index + 1) * CHUNK);
    store.put(derivedFrom ? { sha256, index, count, data, derived_from: derivedFrom } : { sha256, index, count, data });
  }
}

/** Delete the chunks of these hashes unless a photo other than `except` still uses them (on an open
 * transaction over "photos" and "chunks"). */
export async function dropUnsharedBytes(t: IDBTransaction, hashes: (string | null | undefined)[], except: string): Promise<void> {
  const freed = new Set(hashes.filter((h): h is string => !!h));
  for (const kept of (await req(t.objectStore("photos").getAll())) as { id: string; sha256: string; preview_sha256: string | null }[]) {
    if (kept.id === except) continue;
    freed.delete(kept.sha256);
    if (kept.preview_sha256) freed.delete(kept.preview_sha256);
  }
  for (const sha of freed) t.objectStore("chunks").delete(IDBKeyRange.bound([sha, 0], [sha, Infinity]));
}

/** Stored bytes that do not hash to their name: the only thing that is damage. */
export class CorruptBlob extends Error {}

/** Bytes not (or not wholly) on this device, e.g. a colleague's photo that arrived as a row only. */
export class NotOnDevice extends Error {}

/** Read a blob back from its chunks and verify its hash. */
export async function readBlob(sha256: string): Promise<ArrayBuffer> {
  const chunks = await tx(["chunks"], "readonly", (t) =>
    req(
      t.objectStore("chunks").getAll(IDBKeyRange.bound([sha256, 0], [sha256, Infinity])) as IDBRequest<
        { index: number; count: number; data: ArrayBuffer }[]
      >,
    ),
  ).catch((error: unknown) => {
    // a sealed chunk whose bytes were altered fails its AES-GCM tag (seal.ts) before any hash: damage too
    if (error instanceof Damaged) {
      throw new CorruptBlob(`stored bytes of ${sha256} are damaged: they fail their seal, so they cannot hash to it`);
    }
    throw error;
  });
  if (!chunks.length || chunks.length !== chunks[0].count) throw new NotOnDevice(`${sha256} is not on this device`);
  const total = chunks.reduce((n, c) => n + c.data.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks.sort((a, b) => a.index - b.index)) {
    out.set(new Uint8Array(c.data), offset);
    offset += c.data.byteLength;
  }
  const actual = await sha256Hex(out);
  if (actual !== sha256) throw new CorruptBlob(`stored bytes of ${sha256} hash to ${actual}`);
  return out.buffer;
}

export async function objectUrl(sha256: string, mime: string): Promise<string> {
  return URL.createObjectURL(new Blob([await readBlob(sha256)], { type: mime }));
}

/** Store bytes fetched from the server, after checking they hash to the name they were asked by. */
export async function storeFetched(sha256: string, bytes: ArrayBuffer): Promise<void> {
  const actual = await sha256Hex(bytes);
  if (actual !== sha256) throw new CorruptBlob(`downloaded bytes of ${sha256} hash to ${actual}`);
  await tx(["chunks"], "readwrite", (t) => putChunks(t, sha256, bytes));
}

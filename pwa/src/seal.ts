// At-rest encryption of the tablet's IndexedDB records and photo chunks (hardening, issue 21: a lost tablet at rest
// exposes no finding, photo or complainant). Each record is sealed with AES-256-GCM under the data key (a random key
// wrapped by the user's password, datakey.ts); only its key path and index fields stay in the clear (ids, status).
// The cipher is synchronous (@noble/ciphers, audited) because IndexedDB transactions end at the first await of
// anything but a request: WebCrypto's promises inside the app's read-modify-write transactions would end them.
import { gcm } from "@noble/ciphers/aes.js";

const FIELD = "sealed";
const TAG_BUFFER = "\u0000ab";
const TAG_VIEW = "\u0000u8";
// Per store: what IndexedDB itself must read (key path, index key paths: db.ts MIGRATIONS).
export const CLEAR: Record<string, string[]> = {
  meta: ["key"],
  outbox: ["seq"],
  outcomes: ["seq"],
  inspections: ["id", "status"],
  findings: ["key", "inspection_id"],
  notes: ["id", "inspection_id"],
  photos: ["id", "inspection_id"],
  chunks: ["sha256", "index"],
  checklists: ["ref"],
  establishments: ["id", "district_id"],
  conflicts: ["id"],
  actions: ["id", "inspection_id"],
  notice_blocks: ["id", "org_unit_id"],
  notices: ["id", "action_id"],
};
const OPEN_META = new Set(["device"]); // read before the unlock: the device token, the password check, the wrapped key

let dataKey: Uint8Array | null = null;

export function setDataKey(key: Uint8Array | null): void {
  dataKey = key;
}

export function currentDataKey(): Uint8Array | null {
  return dataKey;
}

export class Locked extends Error {
  override name = "Locked";
  constructor() {
    super("this record is encrypted and the tablet is locked");
  }
}

/** A sealed record that does not open: altered, or moved to another key (its AES-GCM tag fails). */
export class Damaged extends Error {
  override name = "Damaged";
  constructor(store: string) {
    super(`a sealed record of ${store} does not open: it was altered or moved`);
  }
}

/** A value as bytes: JSON, with ArrayBuffers and byte arrays appended raw after it (photo chunks stay compact). */
function encode(value: unknown): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const place = (bytes: Uint8Array, tag: string) => {
    parts.push(bytes);
    offset += bytes.byteLength;
    return { [tag]: [offset - bytes.byteLength, bytes.byteLength] };
  };
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key]; // before toJSON
    if (raw instanceof ArrayBuffer) return place(new Uint8Array(raw), TAG_BUFFER);
    if (raw instanceof Uint8Array) return place(raw, TAG_VIEW);
    return v;
  });
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(4 + head.byteLength + offset);
  new DataView(out.buffer).setUint32(0, head.byteLength);
  out.set(head, 4);
  let at = 4 + head.byteLength;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function decode(bytes: Uint8Array): unknown {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const json = new TextDecoder().decode(bytes.subarray(4, 4 + length));
  const base = 4 + length;
  return JSON.parse(json, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const o = v as Record<string, [number, number]>;
      const tagged = o[TAG_BUFFER] ?? o[TAG_VIEW];
      if (tagged && Object.keys(o).length === 1) {
        const copy = bytes.slice(base + tagged[0], base + tagged[0] + tagged[1]);
        return o[TAG_BUFFER] ? copy.buffer : copy;
      }
    }
    return v;
  });
}

function clearPart(store: string, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CLEAR[store] ?? []) if (field in value) out[field] = value[field];
  return out;
}

/** Associated data: the store and the clear fields, so a sealed record cannot be moved to another key. */
function aad(store: string, clear: Record<string, unknown>): Uint8Array {
  return new TextEncoder().encode(`${store}\n${JSON.stringify(clear)}`);
}

function isOpen(store: string, value: Record<string, unknown>): boolean {
  return !(store in CLEAR) || (store === "meta" && OPEN_META.has(String(value.key)));
}

/** What IndexedDB stores for ``value``: the clear fields and the sealed whole. Without a data key (a desk session
 * with no device, a unit test) the value is stored as it is. */
export function seal(store: string, value: unknown): unknown {
  if (!dataKey || !value || typeof value !== "object" || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (isOpen(store, record)) return value;
  const clear = clearPart(store, record);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = gcm(dataKey, iv, aad(store, clear)).encrypt(encode(record));
  const out = new Uint8Array(12 + sealed.byteLength);
  out.set(iv);
  out.set(sealed, 12);
  return { ...clear, [FIELD]: out };
}

/** The record a stored value holds; a value stored before encryption (an older tablet) is returned as it is. */
export function unseal(store: string, value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  const sealed = (value as Record<string, unknown>)[FIELD];
  if (!(sealed instanceof Uint8Array)) return value;
  if (!dataKey) throw new Locked();
  const clear = clearPart(store, value as Record<string, unknown>);
  let plain: Uint8Array;
  try {
    plain = gcm(dataKey, sealed.subarray(0, 12), aad(store, clear)).decrypt(sealed.subarray(12));
  } catch {
    throw new Damaged(store);
  }
  return decode(plain);
}

export function isSealed(value: unknown): boolean {
  return !!value && typeof value === "object" && (value as Record<string, unknown>)[FIELD] instanceof Uint8Array;
}

// The typing journal (localStorage, typing.ts) holds what is being typed: sealed the same way, as base64 text.
const JOURNAL_PREFIX = "sealed1:";

export function sealText(text: string): string {
  if (!dataKey) return text;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = gcm(dataKey, iv).encrypt(new TextEncoder().encode(text));
  const bytes = new Uint8Array(12 + sealed.byteLength);
  bytes.set(iv);
  bytes.set(sealed, 12);
  return JOURNAL_PREFIX + btoa(String.fromCharCode(...bytes));
}

export function unsealText(text: string | null): string | null {
  if (text === null || !text.startsWith(JOURNAL_PREFIX)) return text;
  if (!dataKey) return null; // locked: replayed after the unlock (recoverTyping runs then)
  const bytes = Uint8Array.from(atob(text.slice(JOURNAL_PREFIX.length)), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(gcm(dataKey, bytes.subarray(0, 12)).decrypt(bytes.subarray(12)));
}

/** The typing journal's storage with each value sealed (typing.ts keeps its keys, which name no content). */
export function sealedStorage(storage: Storage): Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length"> {
  return {
    getItem: (key) => unsealText(storage.getItem(key)),
    setItem: (key, value) => storage.setItem(key, sealText(value)),
    removeItem: (key) => storage.removeItem(key),
    key: (index) => storage.key(index),
    get length() {
      return storage.length;
    },
  };
}

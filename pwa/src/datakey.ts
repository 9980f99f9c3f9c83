// The data key of the at-rest encryption (seal.ts): 32 random bytes, kept on the tablet only wrapped (AES-GCM,
// WebCrypto) by a key derived from the user's password (PBKDF2-SHA256, 310 000 iterations, its own salt), so a
// password change re-wraps it instead of re-encrypting everything. In memory only while the tablet is unlocked.
import { req, type StoreName, tx } from "./db";
import { currentDataKey, setDataKey } from "./seal";

export const KEY_ITERATIONS = 310_000;
const SEALED_STORES: StoreName[] = [
  "meta", "outbox", "outcomes", "inspections", "findings", "notes", "photos", "chunks", "checklists",
  "establishments", "conflicts", "actions",
];

export interface WrappedKey {
  salt: string;
  iterations: number;
  iv: string;
  wrapped: string;
}

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function unb64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function kek(password: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** Wrap the data key in memory (a fresh one if there is none yet) with ``password``; the key stays in memory. */
export async function wrapDataKey(password: string): Promise<WrappedKey> {
  const key = currentDataKey() ?? crypto.getRandomValues(new Uint8Array(32));
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapping = await kek(password, salt, KEY_ITERATIONS);
  const wrapped = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, wrapping, key as BufferSource));
  setDataKey(key);
  return { salt: b64(salt), iterations: KEY_ITERATIONS, iv: b64(iv), wrapped: b64(wrapped) };
}

/** Unwrap the data key with ``password`` (false: wrong password or a damaged key) and keep it in memory. */
export async function unwrapDataKey(password: string, stored: WrappedKey): Promise<boolean> {
  try {
    const wrapping = await kek(password, unb64(stored.salt), stored.iterations);
    const iv = unb64(stored.iv);
    const key = await crypto.subtle.decrypt({ name: "AES-GCM", iv: iv as BufferSource }, wrapping, unb64(stored.wrapped) as BufferSource);
    setDataKey(new Uint8Array(key));
    return true;
  } catch {
    return false;
  }
}

/** Seal what an older tablet (from before the encryption) still holds in the clear: every store read and written
 * back in one transaction each (once, at the first unlock after the update: no sync runs before). */
export async function sealEverything(): Promise<void> {
  for (const store of SEALED_STORES) {
    await tx([store], "readwrite", async (t) => {
      const s = t.objectStore(store);
      for (const row of await req(s.getAll())) s.put(row);
    });
  }
}

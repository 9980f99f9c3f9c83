// Sign-in (online), device registration, and offline unlock against a locally stored PBKDF2 hash.
import { ApiError, getJson, request, setToken } from "./api";
import { sealEverything, unwrapDataKey, wrapDataKey } from "./datakey";
import { getMeta, putMeta, req, setMeta, tx } from "./db";
import { currentDataKey } from "./seal";
import type { SeqState } from "./outbox";
import type { Device, OutboxEntry, User } from "./types";

const ITERATIONS = 210_000;

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function unb64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return b64(new Uint8Array(bits));
}

export async function hashPassword(password: string): Promise<Device["password"]> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { salt: b64(salt), iterations: ITERATIONS, hash: await pbkdf2(password, salt, ITERATIONS) };
}

export async function verifyPassword(password: string, stored: Device["password"]): Promise<boolean> {
  const candidate = await pbkdf2(password, unb64(stored.salt), stored.iterations);
  if (candidate.length !== stored.hash.length) return false;
  let diff = 0;
  for (let i = 0; i < candidate.length; i++) diff |= candidate.charCodeAt(i) ^ stored.hash.charCodeAt(i);
  return diff === 0;
}

export interface SignedIn {
  accessToken: string;
  user: User;
  password: string;
  expiresAt?: number; // ms since the epoch, by this browser's clock; the desk renews the token before it
}

/** Step 1 (online): the OAuth2 password flow, then who am I. */
export async function signIn(email: string, password: string): Promise<SignedIn> {
  const asked = Date.now();
  const token = await getJson<{ access_token: string; expires_in: number }>("/auth/token", {
    form: { username: email, password },
  });
  const user = await getJson<User>("/users/me", { bearer: token.access_token });
  return { accessToken: token.access_token, user, password, expiresAt: asked + token.expires_in * 1000 };
}

/** Step 2 (online): register this tablet; its long-lived token is used for everything afterwards. */
export async function registerDevice(signedIn: SignedIn, name: string): Promise<Device> {
  const registered = await getJson<{ id: string; name: string; token: string; created_at: string }>("/devices", {
    json: { name, platform: navigator.platform || null },
    bearer: signedIn.accessToken,
  });
  const device: Device = {
    id: registered.id,
    token: registered.token,
    name: registered.name,
    user: signedIn.user,
    password: await hashPassword(signedIn.password),
    registered_at: registered.created_at,
    data_key: await wrapDataKey(signedIn.password), // the key in memory (a re-registration), else a new one
  };
  await setMeta("device", device);
  setToken(device.token);
  return device;
}

export function loadDevice(): Promise<Device | undefined> {
  return getMeta<Device>("device");
}

/** Offline unlock: the same password as at sign-in, checked on the device. */
export async function unlock(device: Device, password: string): Promise<boolean> {
  if (!(await verifyPassword(password, device.password))) return false;
  if (device.data_key) {
    if (!(await unwrapDataKey(password, device.data_key))) return false;
  } else {
    // a tablet from before the at-rest encryption: give it a data key, then seal what it holds in the clear
    device.data_key = await wrapDataKey(password);
    await setMeta("device", device);
    await sealEverything();
  }
  setToken(device.token);
  return true;
}

/**
 * "Sign in again" after the server refused the device token (401: expired or revoked). The password is checked
 * online. Then, in this order:
 * 1. the same device gets a fresh token (`POST /devices/{id}/token` with the new access token), keeping its
 *    device id, its seq numbering and its outbox exactly as they are — the protocol's "refresh the token, resend
 *    the same batch";
 * 2. if the server cannot do that (no such endpoint or device; a revoked device is told to wipe instead,
 *    wipe.ts, and never gets here), the tablet registers as a new
 *    device and hands its unsent mutations over to it (moveOutbox) — same ids, new seqs from 1 — so nothing queued
 *    is lost and nothing is applied twice.
 * The outbox is never dropped.
 */
export async function signInAgain(device: Device, password: string): Promise<Device> {
  const signedIn = await signIn(device.user.email, password);
  let renewed: { id: string; token: string } | null = null;
  try {
    renewed = await getJson<{ id: string; token: string }>(`/devices/${device.id}/token`, {
      json: {},
      bearer: signedIn.accessToken,
    });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 0 || error.status >= 500) throw error;
    renewed = null; // 401/403/404/405/410: this device id cannot continue
  }
  if (renewed && renewed.id === device.id) {
    const next: Device = {
      ...device,
      token: renewed.token,
      password: await hashPassword(password),
      // re-wrapped (the password may have changed); never a new key while the data is sealed with the old one
      data_key: currentDataKey() ? await wrapDataKey(password) : device.data_key,
    };
    await setMeta("device", next);
    setToken(next.token);
    return next;
  }
  // Register and hand over under the sync lock: no tab may push the old entries with the new identity between.
  return withSyncLock(async () => {
    const next = await registerDevice(signedIn, device.name);
    await moveOutbox(device.id);
    return next;
  });
}

function withSyncLock<T>(fn: () => Promise<T>): Promise<T> {
  return navigator.locks ? (navigator.locks.request("li-sync", fn) as Promise<T>) : fn();
}

/**
 * Move the outbox of an earlier registration to the current one, in one transaction: entries keep their
 * mutation ids and order and get seqs 1..n of the new device (which the server has never seen); each remembers
 * the device that first queued it. An entry that the earlier device did deliver is answered `sync.id_reused`
 * and dropped by the sync runner (sync.ts, dropDeliveredElsewhere) — it is on the server exactly once.
 */
async function moveOutbox(previousDeviceId: string): Promise<void> {
  await tx(["meta", "outbox"], "readwrite", async (t) => {
    const store = t.objectStore("outbox");
    const entries = ((await req(store.getAll())) as OutboxEntry[]).sort((a, b) => a.seq - b.seq);
    store.clear();
    entries.forEach((e, i) =>
      store.put({ ...e, seq: i + 1, attempts: 0, last_error: null, handed_over_from: e.handed_over_from ?? previousDeviceId }),
    );
    const state: SeqState = { next_seq: entries.length + 1, acked_seq: 0 };
    putMeta(t, "seq", state);
  });
}

/** Sign-out at the server (hardening, issue 21): the token presented — the tablet's device token, or the desk's
 * access token — is revoked before anything local is cleared. A token the server refuses already (401) is dead
 * anyway; any other failure (offline, 5xx) is thrown, so the caller keeps its data and says so. */
export async function signOutAtServer(bearer?: string): Promise<void> {
  try {
    await request("/auth/sign-out", { method: "POST", ...(bearer ? { bearer } : {}) });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    throw error;
  }
}

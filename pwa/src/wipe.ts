// The lost-tablet wipe (hardening, issue 21; sync/PROTOCOL.md §1 "Wipe"): the server answers a revoked device, or a
// device of a disabled account, `401 device.wipe`; the tablet then deletes every local copy of the data — all
// IndexedDB databases, Cache Storage except the app shell, local and session storage — and says so.
import { ApiError, request, setToken } from "./api";
import { closeForGood, DB_NAME, getAll } from "./db";
import { setDataKey } from "./seal";

export const WIPE = "device.wipe";
const SHELL_CACHE = "li-precache-"; // the service worker's app shell: code, no personal data
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("li-wipe") : null;
const listeners = new Set<(unsent: number) => void>();
let done: Promise<number> | null = null;

export function isWipe(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === WIPE;
}

/** Called once this tablet's data is gone (here or in another tab), with how many unsent changes went with it. */
export function onWiped(listener: (unsent: number) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // onblocked: another tab still holds it open; it closes on "versionchange" (db.ts) and onsuccess follows
  });
}

async function erase(): Promise<number> {
  let unsent = 0;
  try {
    unsent = (await getAll("outbox")).length;
  } catch {
    /* unreadable: the wipe goes on regardless */
  }
  setToken(null);
  setDataKey(null);
  await closeForGood();
  const names = new Set([DB_NAME]);
  try {
    for (const info of (await indexedDB.databases?.()) ?? []) if (info.name) names.add(info.name);
  } catch {
    /* databases() missing (older WebKit): the app's own database is deleted by name */
  }
  await Promise.all([...names].map(deleteDatabase));
  if (typeof caches !== "undefined") {
    for (const name of await caches.keys()) if (!name.startsWith(SHELL_CACHE)) await caches.delete(name);
  }
  for (const storage of [localStorage, sessionStorage]) {
    try {
      storage.clear();
    } catch {
      /* storage unavailable: nothing kept there */
    }
  }
  return unsent;
}

/** Delete everything this tablet holds (once per page, however many callers), then tell the app and other tabs. */
export function wipeDevice(): Promise<number> {
  if (!done) {
    done = erase().then((unsent) => {
      channel?.postMessage(unsent);
      listeners.forEach((l) => l(unsent));
      return unsent;
    });
  }
  return done;
}

if (channel) {
  channel.onmessage = (event: MessageEvent<number>) => {
    if (!done) {
      done = closeForGood().then(() => Number(event.data) || 0);
      void done.then((unsent) => listeners.forEach((l) => l(unsent)));
    }
  };
}

/** Before the offline unlock: a tablet that is online asks the server whether it may still hold its data, so a
 * lost tablet wipes itself as soon as it reaches the network, even if nobody can unlock it. Any other answer
 * (offline, expired, 5xx) changes nothing. */
export async function wipeIfTold(token: string): Promise<boolean> {
  try {
    await request("/users/me", { bearer: token, timeoutMs: 10_000 });
    return false;
  } catch (error) {
    if (!isWipe(error)) return false;
    await wipeDevice();
    return true;
  }
}

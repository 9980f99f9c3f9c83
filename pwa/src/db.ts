// IndexedDB: one versioned database, migrations that only ever add or transform (never recreate a store),
// promise helpers, and change notifications (this tab and other tabs).
import { emitError } from "./errors";
import { seal, unseal } from "./seal";

export const DB_NAME = "labour-inspection";
export const DB_VERSION = 3;

export type StoreName =
  | "meta"
  | "outbox"
  | "outcomes"
  | "inspections"
  | "findings"
  | "notes"
  | "photos"
  | "chunks"
  | "checklists"
  | "establishments"
  | "conflicts"
  | "actions"
  | "notice_blocks"
  | "notices";

type Migration = (db: IDBDatabase, tx: IDBTransaction) => void;

/** MIGRATIONS[n] upgrades a database at version n to version n + 1. Append only; never edit a shipped one.
 * From version 2 on, records may be sealed (seal.ts) and the upgrade runs before the unlock, without the data
 * key: a new migration may add stores and indexes on clear fields (seal.ts CLEAR), never transform values. */
export const MIGRATIONS: Migration[] = [
  // 0 -> 1: the first schema.
  (db) => {
    db.createObjectStore("meta", { keyPath: "key" });
    db.createObjectStore("outbox", { keyPath: "seq" });
    db.createObjectStore("outcomes", { keyPath: "seq" });
    db.createObjectStore("inspections", { keyPath: "id" });
    db.createObjectStore("findings", { keyPath: "key" }).createIndex("inspection", "inspection_id");
    db.createObjectStore("notes", { keyPath: "id" }).createIndex("inspection", "inspection_id");
    db.createObjectStore("photos", { keyPath: "id" }).createIndex("inspection", "inspection_id");
    db.createObjectStore("chunks", { keyPath: ["sha256", "index"] });
    db.createObjectStore("checklists", { keyPath: "ref" });
    db.createObjectStore("establishments", { keyPath: "id" });
    db.createObjectStore("conflicts", { keyPath: "id" });
    db.createObjectStore("actions", { keyPath: "id" }).createIndex("inspection", "inspection_id");
  },
  // 1 -> 2: offline establishment search text; inspection type defaults to "planned"; status index.
  (_db, tx) => {
    const establishments = tx.objectStore("establishments");
    establishments.createIndex("district", "district_id");
    establishments.openCursor().onsuccess = (e) => {
      const cursor = (e.target as IDBRequest<IDBCursorWithValue | null>).result;
      if (!cursor) return;
      cursor.update({ ...cursor.value, search: searchText(cursor.value) });
      cursor.continue();
    };
    const inspections = tx.objectStore("inspections");
    inspections.createIndex("status", "status");
    inspections.openCursor().onsuccess = (e) => {
      const cursor = (e.target as IDBRequest<IDBCursorWithValue | null>).result;
      if (!cursor) return;
      const value = cursor.value;
      if (!value.type) cursor.update({ ...value, type: "planned" });
      cursor.continue();
    };
  },
  // 2 -> 3: official notices issued offline, numbered from the blocks of serials the server reserved for this device.
  (db) => {
    db.createObjectStore("notice_blocks", { keyPath: "id" }).createIndex("unit", "org_unit_id");
    db.createObjectStore("notices", { keyPath: "id" }).createIndex("action", "action_id");
  },
];

export function searchText(e: { name?: string; registration_number?: string; address?: string }): string {
  return [e.name, e.registration_number, e.address].filter(Boolean).join(" ").toLowerCase();
}

let dbPromise: Promise<IDBDatabase> | null = null;

export function openDb(version = DB_VERSION): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, version);
    request.onupgradeneeded = (event) => {
      const tx = request.transaction!;
      for (let v = event.oldVersion; v < (event.newVersion ?? version); v++) MIGRATIONS[v](request.result, tx);
    };
    request.onblocked = () => emitError("error.db_blocked");
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close();
        dbPromise = null;
        emitError("error.db_version_change");
      };
      db.onclose = () => {
        dbPromise = null; // closed by the browser (e.g. memory pressure): reopen on next use
      };
      resolve(db);
    };
  });
}

let closedForGood = false; // after a wipe: nothing may open (and so recreate) the database again

export function getDb(): Promise<IDBDatabase> {
  if (closedForGood) return Promise.reject(new DOMException("this tablet's data was wiped", "InvalidStateError"));
  if (!dbPromise) {
    dbPromise = openDb().catch((error) => {
      dbPromise = null;
      throw error;
    });
  }
  return dbPromise;
}

export function req<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => {
      try {
        resolve(request.result); // a sealed store's result is opened here, and may fail (Locked, tampered)
      } catch (error) {
        reject(error);
      }
    };
    request.onerror = () => reject(request.error);
  });
}

/** A request whose ``result`` is ``open``ed (once) when read. */
function opened<T>(request: IDBRequest, open: (value: unknown) => T): IDBRequest<T> {
  let done = false;
  let value: T;
  return new Proxy(request, {
    get(target, prop) {
      if (prop === "result") {
        if (!done) (value = open(target.result)), (done = true);
        return value;
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
    set: (target, prop, v) => Reflect.set(target, prop, v, target),
  }) as unknown as IDBRequest<T>;
}

function readable(name: string, source: IDBObjectStore | IDBIndex): Record<string, unknown> {
  const one = (v: unknown) => unseal(name, v);
  const many = (v: unknown) => (v as unknown[]).map(one);
  return {
    get: (query: IDBValidKey | IDBKeyRange) => opened(source.get(query), one),
    getAll: (query?: IDBValidKey | IDBKeyRange | null, count?: number) => opened(source.getAll(query, count), many),
  };
}

/** The store as the app sees it: values sealed on the way in and opened on the way out (seal.ts, issue 21). */
function sealedStore(store: IDBObjectStore): IDBObjectStore {
  const name = store.name;
  const own: Record<string, unknown> = {
    ...readable(name, store),
    put: (value: unknown, key?: IDBValidKey) => store.put(seal(name, value), key),
    add: (value: unknown, key?: IDBValidKey) => store.add(seal(name, value), key),
    index: (index: string) => {
      const raw = store.index(index);
      const reads = readable(name, raw);
      return new Proxy(raw, { get: (target, prop) => reads[prop as string] ?? bound(target, prop) });
    },
  };
  return new Proxy(store, { get: (target, prop) => own[prop as string] ?? bound(target, prop) });
}

function bound(target: object, prop: string | symbol): unknown {
  const v = Reflect.get(target, prop, target);
  return typeof v === "function" ? v.bind(target) : v;
}

function sealedTransaction(t: IDBTransaction): IDBTransaction {
  return new Proxy(t, {
    get: (target, prop) => (prop === "objectStore" ? (n: string) => sealedStore(target.objectStore(n)) : bound(target, prop)),
    set: (target, prop, v) => Reflect.set(target, prop, v, target),
  });
}

const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("li-db") : null;
const listeners = new Set<() => void>();

export function onChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyChange(): void {
  listeners.forEach((l) => l());
}

if (channel) channel.onmessage = () => notifyChange();

/** Run `fn` in one transaction; resolves with its result once the transaction has committed. */
export async function tx<T>(
  stores: StoreName[],
  mode: IDBTransactionMode,
  fn: (t: IDBTransaction) => Promise<T> | T,
): Promise<T> {
  const db = await getDb();
  const t = sealedTransaction(db.transaction(stores, mode, { durability: "strict" } as IDBTransactionOptions));
  const done = new Promise<void>((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error ?? new DOMException("transaction aborted", "AbortError"));
  });
  let result: T;
  try {
    result = await fn(t);
  } catch (error) {
    try {
      t.abort();
    } catch {
      /* already finished */
    }
    await done.catch(() => undefined);
    throw error;
  }
  await done;
  if (mode === "readwrite") {
    notifyChange();
    channel?.postMessage("changed");
  }
  return result;
}

export function getAll<T>(store: StoreName): Promise<T[]> {
  return tx([store], "readonly", (t) => req(t.objectStore(store).getAll() as IDBRequest<T[]>));
}

export function getOne<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
  return tx([store], "readonly", (t) => req(t.objectStore(store).get(key) as IDBRequest<T | undefined>));
}

export function byIndex<T>(store: StoreName, index: string, key: IDBValidKey): Promise<T[]> {
  return tx([store], "readonly", (t) => req(t.objectStore(store).index(index).getAll(key) as IDBRequest<T[]>));
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  const row = await getOne<{ key: string; value: T }>("meta", key);
  return row?.value;
}

export function putMeta(t: IDBTransaction, key: string, value: unknown): void {
  t.objectStore("meta").put({ key, value });
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  await tx(["meta"], "readwrite", (t) => putMeta(t, key, value));
}

/** Delete the whole local database (sign-out after everything is synced). */
export async function wipe(): Promise<void> {
  const db = await getDb();
  db.close();
  dbPromise = null;
  await req(indexedDB.deleteDatabase(DB_NAME) as unknown as IDBRequest<unknown>);
}

/** Close the database for the rest of this page's life (the wipe, wipe.ts): later reads and writes fail instead
 * of creating an empty database again. */
export async function closeForGood(): Promise<void> {
  closedForGood = true;
  const open = dbPromise;
  dbPromise = null;
  if (open) (await open.catch(() => null))?.close();
}

// At-rest encryption (seal.ts, datakey.ts; on fake-indexeddb): with the data key set, a record is stored sealed
// — only its key and index fields in the clear — and read back whole, bytes included; a sealed record moved to
// another key, or read without the key, is refused; the data key is unwrapped only by the right password.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { unwrapDataKey, wrapDataKey } from "../src/datakey";
import { DB_NAME, getOne, tx } from "../src/db";
import { Damaged, Locked, sealText, setDataKey, unsealText } from "../src/seal";

function raw(store: string, key: IDBValidKey): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME);
    open.onsuccess = () => {
      const get = open.result.transaction(store).objectStore(store).get(key);
      get.onsuccess = () => (open.result.close(), resolve(get.result as Record<string, unknown>));
      get.onerror = () => reject(get.error);
    };
    open.onerror = () => reject(open.error);
  });
}

function rawPut(store: string, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME);
    open.onsuccess = () => {
      const t = open.result.transaction(store, "readwrite");
      t.objectStore(store).put(value);
      t.oncomplete = () => (open.result.close(), resolve());
      t.onerror = () => reject(t.error);
    };
    open.onerror = () => reject(open.error);
  });
}

test("a record is sealed at rest, opened whole, and refused under another key or without the key", async () => {
  setDataKey(crypto.getRandomValues(new Uint8Array(32)));
  const bytes = new TextEncoder().encode("PHOTO-BYTES-PLANTED").buffer;
  const finding = { key: "i1:ga.01", inspection_id: "i1", fields: { remark: "PLANTED remark" }, n: 3 };
  await tx(["findings", "chunks"], "readwrite", (t) => {
    t.objectStore("findings").put(finding);
    t.objectStore("chunks").put({ sha256: "ab", index: 0, count: 1, data: bytes });
  });
  const stored = await raw("findings", "i1:ga.01");
  assert.deepEqual(Object.keys(stored).sort(), ["inspection_id", "key", "sealed"]);
  const chunk = await raw("chunks", ["ab", 0]);
  assert.ok(!new TextDecoder("latin1").decode(chunk.sealed as Uint8Array).includes("PLANTED"));
  assert.deepEqual(await getOne("findings", "i1:ga.01"), finding);
  const back = (await getOne<{ data: ArrayBuffer }>("chunks", ["ab", 0]))!;
  assert.ok(back.data instanceof ArrayBuffer);
  assert.equal(new TextDecoder().decode(back.data), "PHOTO-BYTES-PLANTED");

  // copied raw under another key (as someone editing the database would): its associated data no longer matches
  await rawPut("findings", { ...stored, key: "i2:ga.01" });
  await assert.rejects(getOne("findings", "i2:ga.01"), Damaged);
  setDataKey(null);
  await assert.rejects(getOne("findings", "i1:ga.01"), Locked);
});

test("the data key opens only with the password it was wrapped with, and survives a re-wrap", async () => {
  setDataKey(null);
  const first = await wrapDataKey("correct horse battery");
  await tx(["notes"], "readwrite", (t) => void t.objectStore("notes").put({ id: "n1", inspection_id: "i1", text: "secret" }));
  setDataKey(null);
  assert.equal(await unwrapDataKey("wrong password", first), false);
  assert.equal(await unwrapDataKey("correct horse battery", first), true);
  const second = await wrapDataKey("a new long password 42"); // the same key, wrapped anew
  setDataKey(null);
  assert.equal(await unwrapDataKey("a new long password 42", second), true);
  assert.equal(((await getOne<{ text: string }>("notes", "n1")) as { text: string }).text, "secret");
  const journal = sealText("typed PLANTED");
  assert.ok(journal.startsWith("sealed1:") && !journal.includes("PLANTED"));
  assert.equal(unsealText(journal), "typed PLANTED");
});

test("every store keeps its key path and index key paths in the clear (a sealed key breaks put and index)", async () => {
  const { CLEAR } = await import("../src/seal");
  const { openDb } = await import("../src/db");
  const db = await openDb();
  const stores = Array.from(db.objectStoreNames);
  assert.ok(stores.length >= 14, stores.join(","));
  const names = (path: string | string[] | null) => (path === null ? [] : Array.isArray(path) ? path : [path]);
  const t = db.transaction(stores);
  for (const name of stores) {
    const store = t.objectStore(name);
    const needed = [...names(store.keyPath), ...Array.from(store.indexNames).flatMap((i) => names(store.index(i).keyPath))];
    for (const field of needed) assert.ok((CLEAR[name] ?? []).includes(field), `${name}.${field} is not in seal.ts CLEAR`);
  }
  db.close();
});

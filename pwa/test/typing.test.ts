// Saving as typed: each keystroke is journalled at once, saved once after the pause or at a flush, and what a
// closed page left in the journal is replayed at the next start.
import assert from "node:assert/strict";
import { test } from "node:test";
import { flush, flushAll, keyOf, recoverTyping, setupTyping, typed, type Journal, type Typed } from "../src/typing";

function memoryJournal(): Journal & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

const note = (value: string): Typed => ({ inspection_id: "i1", item_id: "a1", field: "remark", value });

test("keystrokes are journalled at once and saved once, with the last value", async () => {
  const journal = memoryJournal();
  const saved: Typed[] = [];
  setupTyping(journal, async (e) => void saved.push(e));
  typed(note("G"));
  typed(note("Gu"));
  typed(note("Gua"));
  assert.equal(saved.length, 0);
  assert.equal(JSON.parse(journal.map.get("li-typing:i1/a1/remark")!).value, "Gua");
  await flush(keyOf(note("")));
  assert.deepEqual(saved, [note("Gua")]);
  assert.equal(journal.map.size, 0);
  await flushAll(); // nothing left: no second save
  assert.equal(saved.length, 1);
});

test("the save runs by itself after the pause", async () => {
  const saved: Typed[] = [];
  setupTyping(memoryJournal(), async (e) => void saved.push(e));
  typed(note("x"), 20);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(saved, [note("x")]);
});

test("a failed save stays in the journal; the next start replays it, then forgets it", async () => {
  const journal = memoryJournal();
  setupTyping(journal, async () => {
    throw new Error("storage failed");
  });
  typed(note("kept"));
  await flushAll();
  assert.equal(journal.map.size, 1);
  const saved: Typed[] = [];
  setupTyping(journal, async (e) => void saved.push(e));
  assert.equal(await recoverTyping(), 1);
  assert.deepEqual(saved, [note("kept")]);
  assert.equal(journal.map.size, 0);
});

// The outbox (on fake-indexeddb): a local change and its mutations commit together, numbered in order;
// a change that fails leaves neither; the client invariant of PROTOCOL.md §10 holds.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { getAll, getOne } from "../src/db";
import { checkInvariant, commit, pending, seqState } from "../src/outbox";

test("a change and its mutations commit together, numbered from 1", async () => {
  await commit(["establishments"], (t) => void t.objectStore("establishments").put({ id: "e1" }), [
    { name: "a.one", args: { n: 1 } },
    { name: "a.two", args: { n: 2 } },
  ]);
  await commit(["establishments"], () => undefined, () => [{ name: "a.three", args: {} }]);
  assert.deepEqual((await getOne("establishments", "e1")) as unknown, { id: "e1" });
  const entries = await pending();
  assert.deepEqual(entries.map((e) => [e.seq, e.name]), [[1, "a.one"], [2, "a.two"], [3, "a.three"]]);
  assert.equal(new Set(entries.map((e) => e.id)).size, 3);
  assert.deepEqual(await seqState(), { next_seq: 4, acked_seq: 0 });
  assert.equal(await checkInvariant(), null);
});

test("a change that fails writes neither the change nor its mutations", async () => {
  const before = (await pending()).length;
  await assert.rejects(
    commit(
      ["establishments"],
      (t) => {
        t.objectStore("establishments").put({ id: "e2" });
        throw new Error("boom");
      },
      [{ name: "a.lost", args: {} }],
    ),
  );
  assert.equal((await pending()).length, before);
  assert.equal((await getAll<{ id: string }>("establishments")).some((e) => e.id === "e2"), false);
  assert.equal(await checkInvariant(), null);
});

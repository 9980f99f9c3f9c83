// A follow-up result (followup.ts, on fake-indexeddb): recorded once with its `follow_up.result` mutation; a second
// tap records nothing and sends nothing; a later pull of the measure (pull.ts applyPage, a newer server version)
// keeps the device's result; a result the server refuses is un-recorded in the transaction that stores the refusal.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { getAll, getOne, tx } from "../src/db";
import { recordFollowUp } from "../src/followup";
import { pending } from "../src/outbox";
import { applyPage } from "../src/pull";
import { acknowledge } from "../src/sync";
import type { Action, Inspection, Outcome } from "../src/types";

const FOLLOW_UP = { id: "0193a5e1-0000-7000-8000-0000000000f1" } as Inspection;
const ORDER: Action = {
  id: "0193a5e1-0000-7000-8000-0000000000a1", inspection_id: "0193a5e1-0000-7000-8000-0000000000b1",
  item_id: "a.1", measure: "order_to_rectify", deadline: "2026-11-07", deadline_days: 14, text: "",
  status: "overdue", verify_in: FOLLOW_UP.id, version: 3,
};
const OTHER: Action = { ...ORDER, id: "0193a5e1-0000-7000-8000-0000000000a2", item_id: "a.2", version: 4 };

test("a result is recorded and sent once, the note with it", async () => {
  await tx(["actions"], "readwrite", (t) => void t.objectStore("actions").put(ORDER));
  await recordFollowUp(FOLLOW_UP, ORDER, "not_complied", "no register kept");
  await recordFollowUp(FOLLOW_UP, ORDER, "complied", "");
  const sent = (await pending()).filter((e) => e.name === "follow_up.result");
  assert.deepEqual(sent.map((e) => e.args), [
    { inspection_id: FOLLOW_UP.id, action_id: ORDER.id, result: "not_complied", note: "no register kept" },
  ]);
  const local = (await getOne("actions", ORDER.id)) as Action;
  assert.equal(local.follow_up_result, "not_complied");
  assert.equal(local.follow_up_in, FOLLOW_UP.id);
});

test("a later pull of the measure keeps the device's result", async () => {
  const { id, follow_up_result: _r, follow_up_in: _i, version: _v, ...row } = ORDER;
  await applyPage([{ version: 9, entity: "action", id, op: "upsert", data: { ...row, status: "escalated" } }], 9);
  const local = (await getOne("actions", ORDER.id)) as Action;
  assert.equal(local.version, 9);
  assert.equal(local.status, "escalated"); // the server's state is taken
  assert.equal(local.follow_up_result, "not_complied"); // the device's result stays
  assert.equal(local.follow_up_in, FOLLOW_UP.id);
  assert.equal((await pending()).filter((e) => e.name === "follow_up.result").length, 1); // nothing sent again
});

test("a refused result is un-recorded with the refusal; an applied one stays recorded", async () => {
  await tx(["actions"], "readwrite", (t) => void t.objectStore("actions").put(OTHER));
  await recordFollowUp(FOLLOW_UP, OTHER, "complied", "");
  const sent = (await pending()).filter((e) => e.name === "follow_up.result");
  const [refused, applied] = sent;
  assert.equal(refused.args.action_id, ORDER.id);
  assert.equal(applied.args.action_id, OTHER.id);
  const lastSeq = Math.max(...(await pending()).map((e) => e.seq));
  await acknowledge(await pending(), lastSeq, [
    { id: refused.id, seq: refused.seq, outcome: "rejected", reason: "immutable", data: { code: "inspection.not_draft" } },
    { id: applied.id, seq: applied.seq, outcome: "applied" },
  ]);
  const unrecorded = (await getOne("actions", ORDER.id)) as Action;
  assert.equal(unrecorded.follow_up_result, undefined);
  assert.equal(unrecorded.follow_up_in, undefined);
  assert.equal(unrecorded.verify_in, FOLLOW_UP.id); // still to verify: the buttons come back
  assert.equal(((await getOne("actions", OTHER.id)) as Action).follow_up_result, "complied");
  const outcomes = await getAll<Outcome>("outcomes");
  assert.deepEqual(outcomes.map((o) => [o.name, o.args.action_id, o.outcome]), [["follow_up.result", ORDER.id, "rejected"]]);
  assert.equal((await pending()).length, 0);
});

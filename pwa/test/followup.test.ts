// A follow-up result (followup.ts, on fake-indexeddb): recorded once with its `follow_up.result` mutation; a second
// tap records nothing and sends nothing; a later pull of the measure keeps the device's result.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { getOne, tx } from "../src/db";
import { recordFollowUp } from "../src/followup";
import { pending } from "../src/outbox";
import type { Action, Inspection } from "../src/types";

const FOLLOW_UP = { id: "0193a5e1-0000-7000-8000-0000000000f1" } as Inspection;
const ORDER: Action = {
  id: "0193a5e1-0000-7000-8000-0000000000a1", inspection_id: "0193a5e1-0000-7000-8000-0000000000b1",
  item_id: "a.1", measure: "order_to_rectify", deadline: "2026-11-07", deadline_days: 14, text: "",
  status: "overdue", verify_in: FOLLOW_UP.id, version: 3,
};

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

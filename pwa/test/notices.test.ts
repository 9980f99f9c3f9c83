// Notices issued offline (notices.ts, on fake-indexeddb): each takes the next serial of the district's block with
// its `notice.issue` mutation; a measure has one issued notice at a time; a voided number is sent as `notice.void`
// and never taken again; with the block used up nothing is issued.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { getAll, getOne, tx } from "../src/db";
import { blocksOf, issueNotice, remaining, voidNotice } from "../src/notices";
import { checkInvariant, pending } from "../src/outbox";
import { acknowledge } from "../src/sync";
import type { Action, LocalNotice, NoticeBlock, Outcome } from "../src/types";

const UNIT = "0193a5e1-0000-7000-8000-0000000000d1";
const BLOCK: NoticeBlock = {
  id: "0193a5e1-0000-7000-8000-0000000000c1", org_unit_id: UNIT, year: 2026, first_serial: 41, last_serial: 43,
  numbers: ["〔2026〕第0041号", "〔2026〕第0042号", "〔2026〕第0043号"], next_serial: 41, reserved_at: "2026-12-03T00:00:00Z",
};
const order = (n: number): Action => ({
  id: `0193a5e1-0000-7000-8000-00000000000${n}`, inspection_id: "i1", item_id: null, measure: "order_to_rectify",
  deadline: null, text: "",
});

test("numbers are taken in order, one issued notice per measure, a voided one is never reused", async () => {
  await tx(["notice_blocks"], "readwrite", (t) => void t.objectStore("notice_blocks").put(BLOCK));
  const first = await issueNotice(order(1), UNIT);
  const second = await issueNotice(order(2), UNIT);
  assert.equal(first?.number, "〔2026〕第0041号");
  assert.equal(second?.number, "〔2026〕第0042号");
  assert.equal(await issueNotice(order(1), UNIT), null); // issued already: nothing taken, nothing sent
  await voidNotice(first!, "misprinted");
  await voidNotice(first!, "twice"); // voided already: sent once
  const again = await issueNotice(order(1), UNIT);
  assert.equal(again?.serial, 43);
  assert.equal(remaining(await blocksOf(UNIT)), 0);
  assert.equal(await issueNotice(order(3), UNIT), null); // the block is used up
  const sent = (await pending()).map((e) => [e.name, e.args.serial]);
  assert.deepEqual(sent, [["notice.issue", 41], ["notice.issue", 42], ["notice.void", 41], ["notice.issue", 43]]);
  assert.equal((await pending())[2].args.reason, "misprinted");
  assert.equal(((await getOne("notices", first!.id)) as { status: string }).status, "voided");
});

test("this year's block is used first; an older year's counts only as a last resort", async () => {
  const UNIT2 = "0193a5e1-0000-7000-8000-0000000000d2";
  const old: NoticeBlock = { ...BLOCK, id: "0193a5e1-0000-7000-8000-0000000000c2", org_unit_id: UNIT2, year: 2026 };
  const fresh: NoticeBlock = {
    ...BLOCK, id: "0193a5e1-0000-7000-8000-0000000000c3", org_unit_id: UNIT2, year: 2027, first_serial: 1,
    last_serial: 1, numbers: ["〔2027〕第0001号"], next_serial: 1,
  };
  await tx(["notice_blocks"], "readwrite", (t) => {
    t.objectStore("notice_blocks").put(old);
    t.objectStore("notice_blocks").put(fresh);
  });
  assert.equal(remaining(await blocksOf(UNIT2), 2027), 1); // the 2026 block does not count in 2027
  assert.equal((await issueNotice(order(4), UNIT2, 2027))?.number, "〔2027〕第0001号");
  assert.equal((await issueNotice(order(5), UNIT2, 2027))?.number, "〔2026〕第0041号"); // none of 2027 left
});

test("a refused notice is marked refused and its serial sent as notice.void in the same transaction", async () => {
  const UNIT3 = "0193a5e1-0000-7000-8000-0000000000d3";
  const block: NoticeBlock = { ...BLOCK, id: "0193a5e1-0000-7000-8000-0000000000c4", org_unit_id: UNIT3 };
  await tx(["notice_blocks"], "readwrite", (t) => void t.objectStore("notice_blocks").put(block));
  const before = (await pending()).length;
  const issued = await issueNotice(order(6), UNIT3);
  const taken = await issueNotice(order(7), UNIT3);
  const all = await pending();
  const [refused, alreadyThere] = all.slice(before);
  const lastSeq = Math.max(...all.map((e) => e.seq));
  await acknowledge(all, lastSeq, [
    ...all.slice(0, before).map((e) => ({ id: e.id, seq: e.seq, outcome: "applied" as const })),
    { id: refused.id, seq: refused.seq, outcome: "rejected", reason: "exists", data: { code: "notice.already_issued" } },
    { id: alreadyThere.id, seq: alreadyThere.seq, outcome: "rejected", reason: "exists", data: { code: "notice.number_taken" } },
  ]);
  assert.equal(((await getOne("notices", issued!.id)) as LocalNotice).status, "refused");
  assert.equal(((await getOne("notices", taken!.id)) as LocalNotice).status, "refused");
  const left = await pending();
  // Only the first is voided: the server holds a row for the second's serial already.
  assert.deepEqual(left.map((e) => [e.name, e.args]), [
    ["notice.void", { block_id: block.id, serial: 41, reason: "refused: notice.already_issued" }],
  ]);
  assert.equal(left[0].seq, lastSeq + 1);
  assert.equal(await checkInvariant(), null);
  const outcomes = await getAll<Outcome>("outcomes");
  assert.deepEqual(outcomes.map((o) => [o.name, o.args.serial]), [["notice.issue", 41], ["notice.issue", 42]]);
});

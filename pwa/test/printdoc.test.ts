// The printable report's content (src/printdoc.ts): built from the device's records alone; non-compliances only,
// in checklist order, with the lead named first; no hash before submission; never the inspection's type.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildPrintDoc, noticeNumber, P, takesNotice } from "../src/printdoc";
import type { Action, ChecklistItem, Finding, Inspection, LocalNotice } from "../src/types";

const item = (id: string): ChecklistItem => ({
  id,
  text: { en: `Question ${id}`, zh: `问题${id}` },
  guidance: { en: "g", zh: "指引" },
  legal_basis: [{ instrument: "CN-LL", article: "36" }],
  severity: "major",
  answer_type: "compliance",
  evidence_required: false,
  measure: { type: "order_to_rectify" },
});

const finding = (id: string, status: Finding["fields"]["status"]): Finding => ({
  key: `i/${id}`,
  inspection_id: "i",
  item_id: id,
  fields: { status, remark: status === "non_compliant" ? "no contracts" : undefined },
  version: 1,
  workers: { men: 1, women: 2, under_18: 0 },
  updated_at: "2026-11-02T01:00:00Z",
});

const inspection = (status: Inspection["status"]): Inspection => ({
  id: "i",
  establishment_id: "e",
  checklist: "ga@1",
  type: "complaint",
  team: ["u2", "u1"],
  lead: "u1",
  status,
  header: { visit_date: "2026-11-02" },
  version: 1,
  gps_start: { lat: 26.0812, lon: 119.3021, accuracy_m: 12, at: "2026-11-02T01:00:00Z" },
  interviews: [],
  submitted_hash: status === "draft" ? null : "ab".repeat(32),
  created_at: "2026-11-02T01:00:00Z",
  updated_at: "2026-11-02T01:00:00Z",
});

function doc(status: Inspection["status"]) {
  return buildPrintDoc({
    inspection: inspection(status),
    establishment: undefined,
    items: [item("a.01"), item("a.02"), item("a.03")],
    findings: new Map([["a.03", finding("a.03", "non_compliant")], ["a.01", finding("a.01", "compliant")], ["a.02", finding("a.02", "non_compliant")]]),
    notes: [{ id: "n", inspection_id: "i", item_id: "a.02", text: "seen the roster" }],
    photos: [],
    actions: [{ id: "x", inspection_id: "i", item_id: null, measure: "order_to_rectify", deadline: "2026-11-16", text: "" }],
    colleagues: [{ id: "u2", name: "Li Wei", role: "inspector" }],
    me: { id: "u1", name: "Amina Chen" },
  });
}

test("print doc: non-compliances in checklist order, lead first, counts, hash only once submitted", () => {
  const draft = doc("draft");
  assert.deepEqual(draft.entries.map((e) => e.item.id), ["a.02", "a.03"]);
  assert.deepEqual(draft.entries[0].notes, ["seen the roster"]);
  assert.equal(draft.entries[1].remark, "no contracts");
  assert.deepEqual(draft.team, ["Amina Chen", "Li Wei"]);
  assert.equal(draft.unnamed, 0);
  assert.deepEqual(draft.counts, { compliant: 1, non_compliant: 2, not_applicable: 0, not_checked: 0 });
  assert.equal(draft.hash, null);
  assert.equal(doc("submitted").hash, "ab".repeat(32));
  assert.ok(draft.gps?.startsWith("26.081200, 119.302100 ± 12.0 m"));
  assert.ok(takesNotice(draft.measures[0]));
});

test("print doc: no label says why the visit took place", () => {
  for (const label of Object.values(P)) {
    assert.ok(!/complain/i.test(label.en) && !/投诉|举报/.test(label.zh), label.en);
    assert.ok(label.en.trim() && label.zh.trim(), "every label in both languages");
  }
  assert.ok(!("type" in doc("draft")));
});

test("print doc: the issued notice's number is printed, a blank only without one; workers as sent and hashed", () => {
  const order = (id: string): Action => ({ id, inspection_id: "i", item_id: null, measure: "order_to_rectify", deadline: null, text: "" });
  const n = (id: string, action_id: string, number: string, status: LocalNotice["status"]): LocalNotice => ({
    id, action_id, block_id: "b", org_unit_id: "d", serial: 1, number, status, issued_at: "2026-11-02T01:00:00Z",
  });
  const typed: Finding = {
    ...finding("a.02", "non_compliant"),
    fields: { status: "non_compliant", workers_affected: { men: 3, women: 0, under_18: 1 } },
    workers: { men: 9, women: 0, under_18: 0 }, // typed since, not yet consistent: not sent
  };
  const printed = buildPrintDoc({
    inspection: inspection("draft"), establishment: undefined, items: [item("a.02")], findings: new Map([["a.02", typed]]),
    notes: [], photos: [], actions: [order("x"), order("y"), order("z")],
    notices: [n("1", "x", "〔2026〕第0041号", "voided"), n("2", "x", "〔2026〕第0043号", "issued"), n("3", "y", "〔2026〕第0042号", "refused")],
    colleagues: [], me: { id: "u1", name: "Amina Chen" },
  });
  assert.deepEqual(printed.measures.map((a) => noticeNumber(printed, a)), ["〔2026〕第0043号", "________", "________"]);
  assert.deepEqual(printed.entries[0].workers, { men: 3, women: 0, under_18: 1 });
});

// Refusals in plain words: the server's reason (or the domain code inside an `invalid`) picks the text, and
// every text the home screen may show is in the catalogue in both languages.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { explain, retakeOf, workplaceOf } from "../src/refusals";
import type { Outcome } from "../src/types";

const catalogue = JSON.parse(readFileSync("src/strings.json", "utf8")) as Record<string, { en: string; zh: string }>;

const outcome = (name: string, reason: string, data: Record<string, unknown> | null = null): Outcome => ({
  seq: 1,
  id: "m1",
  name,
  args: { inspection_id: "i1" },
  outcome: "rejected",
  reason,
  detail: "technical text",
  data,
  at: "2026-11-02T09:00:00Z",
  dismissed: false,
});

test("an incomplete submission names how many items are missing", () => {
  const e = explain(outcome("inspection.submit", "invalid", { code: "inspection.incomplete", missing: [{}, {}] }));
  assert.deepEqual(e, { what: "refusal.what.inspection.submit", why: "refusal.incomplete", n: 2 });
});

test("reasons map to their own texts, anything else to a general one", () => {
  assert.equal(explain(outcome("inspection.submit", "missing_attachments", { missing: ["a"] })).why, "refusal.missing_attachments");
  assert.equal(explain(outcome("finding.record", "immutable")).why, "refusal.immutable");
  assert.equal(explain(outcome("finding.record", "invalid")).why, "refusal.other");
  assert.equal(explain(outcome("some.future", "whatever")).what, "refusal.what.other");
});

test("every text a refusal can show is translated", () => {
  const names = ["inspection.create", "inspection.update", "inspection.submit", "finding.record", "photo.attach",
    "signature.attach", "interview.record", "action.record", "conflict.resolve", "other.x"];
  const reasons = ["missing_attachments", "hash_mismatch", "open_conflicts", "field_conflict", "forbidden",
    "immutable", "not_found", "invalid"];
  for (const name of names) {
    for (const reason of reasons) {
      const e = explain(outcome(name, reason, reason === "invalid" ? { code: "inspection.incomplete" } : null));
      for (const key of [e.what, e.why]) assert.ok(catalogue[key]?.en && catalogue[key]?.zh, key);
    }
  }
});

test("a refused complaint or accident report is named in its own words, per problem code", () => {
  const complaint = (reason: string, code?: string) =>
    explain({ ...outcome("complaint.create", reason, code ? { code } : null), args: { establishment_id: "e1" } });
  assert.equal(complaint("invalid", "complaint.unknown_matter").why, "refusal.complaint.unknown_matter");
  assert.equal(complaint("invalid", "complaint.received_in_future").why, "refusal.complaint.received_in_future");
  assert.equal(complaint("not_found", "org_unit.not_found").why, "refusal.complaint.district_not_found");
  assert.equal(complaint("not_found", "establishment.not_found").why, "refusal.complaint.establishment_not_found");
  assert.equal(complaint("exists").why, "refusal.complaint.exists");
  assert.equal(complaint("invalid").why, "refusal.complaint.invalid");
  assert.equal(complaint("invalid").what, "refusal.what.complaint.create");
  const accident = (reason: string, code?: string) => explain(outcome("accident.report", reason, code ? { code } : null));
  assert.equal(accident("invalid", "accident.in_future").why, "refusal.accident.in_future");
  assert.equal(accident("not_found", "establishment.not_found").why, "refusal.accident.establishment_not_found");
  assert.equal(accident("exists").why, "refusal.accident.exists");
  assert.equal(accident("invalid").what, "refusal.what.accident.report");
  const keys = new Set<string>();
  for (const name of ["complaint.create", "accident.report", "disease.report"]) {
    for (const reason of ["invalid", "not_found", "forbidden", "exists", "immutable"]) {
      for (const code of [undefined, "complaint.unknown_matter", "complaint.received_in_future", "org_unit.not_found",
        "establishment.not_found", "complaint.statistician_reads_only", "accident.in_future",
        "disease_case.diagnosed_in_future"]) {
        const e = explain(outcome(name, reason, code ? { code } : null));
        keys.add(e.what).add(e.why);
      }
    }
  }
  for (const key of [...keys, "refusal.retake_complaint", "refusal.retake_accident", "refusal.retake_disease"]) {
    assert.ok(catalogue[key]?.en && catalogue[key]?.zh, key);
  }
});

test("a refused complaint or accident links to its intake, with the workplace it named", () => {
  const refused = (name: string, args: Record<string, unknown>) => ({ ...outcome(name, "invalid"), args });
  assert.equal(retakeOf(refused("complaint.create", { establishment_id: "e1" })), "#/complaint/e1");
  assert.equal(retakeOf(refused("complaint.create", { workplace_name: "Yard" })), "#/complaint");
  assert.equal(retakeOf(refused("accident.report", { establishment_id: "e1" })), "#/accident/e1");
  assert.equal(retakeOf(refused("finding.record", { inspection_id: "i1" })), null);
  const names = new Map([["e1", { name: "Riverside Garments" }]]);
  assert.equal(workplaceOf(refused("accident.report", { establishment_id: "e1" }), names), "Riverside Garments");
  assert.equal(workplaceOf(refused("complaint.create", { workplace_name: "Yard" }), names), "Yard");
});

// Refusals in plain words: the server's reason (or the domain code inside an `invalid`) picks the text, and
// every text the home screen may show is in the catalogue in both languages.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { explain } from "../src/refusals";
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

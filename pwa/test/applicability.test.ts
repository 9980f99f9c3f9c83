// Applicability: the port of backend/checklists/definition.py (ISIC sections, code prefixes, worker counts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { holds, isicMatches, isicSection } from "../src/applicability";

const profile = { isic: "4100", workers_total: 60, workers_women: 0, workers_under_18: 2 };

test("ISIC sections from divisions and letters", () => {
  assert.equal(isicSection("4100"), "F");
  assert.equal(isicSection("01"), "A");
  assert.equal(isicSection("C"), "C");
  assert.equal(isicSection("x1"), null);
  assert.ok(isicMatches("F", "4321"));
  assert.ok(isicMatches("41", "4100"));
  assert.ok(!isicMatches("42", "4100"));
});

test("every stated clause must hold", () => {
  assert.ok(holds({}, profile));
  assert.ok(holds({ sectors: ["F"], min_workers: 50, employs_under_18: true }, profile));
  assert.ok(!holds({ sectors: ["C"] }, profile));
  assert.ok(!holds({ exclude_sectors: ["41"] }, profile));
  assert.ok(!holds({ max_workers: 59 }, profile));
  assert.ok(!holds({ employs_women: true }, profile));
  assert.ok(holds({ employs_women: false }, profile));
});

// An occupational disease case on the tablet: the server's rules checked before it is queued, and the case queued
// as one `disease.report` with no name in it.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { localDay } from "../src/complaints";
import { blankDisease, diseaseValid, reportDisease } from "../src/diseases";
import { pending } from "../src/outbox";
import { explain, retakeOf } from "../src/refusals";
import type { Outcome } from "../src/types";

const ok = { ...blankDisease(), disease: "Silicosis", exposure: "silica dust", diagnosed_on: "2026-10-01", sex: "male" as const, age_group: "35_44" };

test("the sex and the age group have no default: a case is not sent until both are chosen", () => {
  const skipped = { ...ok, sex: blankDisease().sex, age_group: blankDisease().age_group };
  assert.equal(blankDisease().sex, "");
  assert.equal(blankDisease().age_group, "");
  assert.equal(diseaseValid(skipped, "2026-12-03"), false);
  assert.equal(diseaseValid({ ...skipped, sex: "female" }, "2026-12-03"), false);
  assert.equal(diseaseValid({ ...skipped, age_group: "unknown" }, "2026-12-03"), false);
  assert.equal(diseaseValid({ ...skipped, sex: "female", age_group: "unknown" }, "2026-12-03"), true);
});

test("a case needs a disease, an exposure and a diagnosis date no later than today", () => {
  assert.equal(diseaseValid(ok, "2026-12-03"), true);
  assert.equal(diseaseValid({ ...ok, disease: "  " }, "2026-12-03"), false);
  assert.equal(diseaseValid({ ...ok, exposure: "x".repeat(201) }, "2026-12-03"), false);
  assert.equal(diseaseValid({ ...ok, diagnosed_on: "2026-12-04" }, "2026-12-03"), false);
  assert.equal(diseaseValid({ ...ok, exposure_years: "81" }, "2026-12-03"), false);
  assert.equal(diseaseValid({ ...ok, exposure_years: "2.5" }, "2026-12-03"), false);
  assert.equal(diseaseValid({ ...ok, exposure_years: "80" }, "2026-12-03"), true);
  assert.equal(diseaseValid({ ...ok, occupation: "81x" }, "2026-12-03"), false);
  assert.equal(diseaseValid({ ...ok, occupation: "8111" }, "2026-12-03"), true);
});

test("reporting queues one disease.report", async () => {
  const id = await reportDisease("e-1", { ...ok, disease: " Silicosis ", exposure_years: "11", occupation: "7133", sex: "female" });
  const entry = (await pending()).find((e) => e.name === "disease.report");
  assert.deepEqual(entry?.args, {
    disease_id: id, establishment_id: "e-1", disease: "Silicosis", exposure: "silica dust", exposure_years: 11,
    diagnosed_on: "2026-10-01", sex: "female", age_group: "35_44", occupation: "7133", fatal: false,
  });
  await assert.rejects(reportDisease("e-1", { ...ok, diagnosed_on: "9999-01-01" }));
  assert.ok(ok.diagnosed_on <= localDay());
});

test("a refused case is named in its own words and links to the form again", () => {
  const refused = (reason: string, code?: string): Outcome => ({
    seq: 1, id: "m1", name: "disease.report", args: { establishment_id: "e1" }, outcome: "rejected", reason,
    detail: null, data: code ? { code } : null, at: "2026-12-03T09:00:00Z", dismissed: false,
  });
  assert.deepEqual(explain(refused("invalid", "disease_case.diagnosed_in_future")), {
    what: "refusal.what.disease.report", why: "refusal.disease.diagnosed_in_future", n: 0,
  });
  assert.equal(explain(refused("not_found", "establishment.not_found")).why, "refusal.disease.establishment_not_found");
  assert.equal(explain(refused("exists")).why, "refusal.disease.exists");
  assert.equal(explain(refused("invalid")).why, "refusal.disease.invalid");
  assert.equal(retakeOf(refused("invalid")), "#/disease/e1");
});

// The shared cases of the submission rule (tests/vectors/submit_rule.json), which the backend's
// missing_for_submit also passes (tests/backend/test_submit_rule_vectors.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { missingForSubmit } from "../src/submitrule";

const vectors = JSON.parse(readFileSync("../tests/vectors/submit_rule.json", "utf8"));

for (const c of vectors.cases) {
  test(`submit rule: ${c.name}`, () => {
    assert.deepEqual(missingForSubmit(vectors.items, c.profile, c.answers, c.evidence), c.missing);
  });
}

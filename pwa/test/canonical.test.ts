// Canonical JSON and the content hash against the vectors of sync/PROTOCOL.md §7.3.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { canonicalJson, contentHash, type InspectionContent } from "../src/canonical";

const protocol = readFileSync("../sync/PROTOCOL.md", "utf8");
const vectors = [...protocol.matchAll(/```json example=hash-vector-\d+ model=HashVector\n([\s\S]*?)```/g)].map(
  (m) => JSON.parse(m[1]) as { content: InspectionContent; content_hash: string },
);

test("the protocol's hash vectors", async () => {
  assert.ok(vectors.length >= 2);
  for (const v of vectors) assert.equal(await contentHash(v.content), v.content_hash);
});

test("keys sort by UTF-16 code units, numbers as ECMAScript prints them", () => {
  assert.equal(
    canonicalJson({ "\uffff": 1, "\u{1f600}": 2, b: 3, a: 4, B: 5 }),
    '{"B":5,"a":4,"b":3,"\u{1f600}":2,"\uffff":1}',
  );
  assert.equal(canonicalJson([1.0, -0, 1e21, 1e-7, 0.1]), "[1,0,1e+21,1e-7,0.1]");
});

test("refuses what canonical JSON cannot carry", () => {
  assert.throws(() => canonicalJson({ x: NaN }));
  assert.throws(() => canonicalJson([Infinity]));
  assert.throws(() => canonicalJson("\ud800"));
});

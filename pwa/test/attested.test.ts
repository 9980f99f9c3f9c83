// The hash_version 2 document against the v2 vectors of sync/PROTOCOL.md §7.3 (sync/attested.py passes them too).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { documentV2, contentHashV2, type Rows } from "../src/attested";
import { canonicalJson } from "../src/canonical";

const protocol = readFileSync("../sync/PROTOCOL.md", "utf8");
const vectors = [...protocol.matchAll(/```json example=hash-vector-\d+ model=HashVectorV2\n([\s\S]*?)```/g)].map(
  (m) => JSON.parse(m[1]) as { inspection_id: string; rows: Rows; canonical: string; content_hash: string },
);

test("the protocol's v2 hash vectors", async () => {
  assert.ok(vectors.length >= 1);
  for (const v of vectors) {
    assert.equal(canonicalJson(documentV2(v.rows, v.inspection_id)), v.canonical);
    assert.equal(await contentHashV2(v.rows, v.inspection_id), v.content_hash);
  }
});

test("a photo's order does not depend on the order of the rows", () => {
  const photo = (sha: string) => ({ inspection_id: "i", sha256: sha.repeat(64), bytes: 1, mime: "image/png" });
  const rows = (a: string, b: string): Rows => ({
    inspection: { i: { checklist: "c@1", header: {} } },
    photo: { p1: photo(a), p2: photo(b) },
  });
  assert.deepEqual(documentV2(rows("a", "b"), "i"), documentV2(rows("b", "a"), "i"));
});

// Applying pulled pages (on fake-indexeddb): newer rows replace older ones, a finding with a queued local
// edit keeps it, the cursor moves in the same transaction, and a colleague's photo arrives without its bytes.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { getMeta, getOne } from "../src/db";
import { commit } from "../src/outbox";
import { applyPage } from "../src/pull";
import type { ChecklistRecord, Finding, Photo } from "../src/types";

const finding = (version: number, status: string) => ({
  version,
  entity: "finding",
  id: "i1/a1",
  op: "upsert" as const,
  data: { inspection_id: "i1", item_id: "a1", fields: { status } },
});

test("newer rows replace older ones; the cursor moves with them", async () => {
  await applyPage([finding(5, "compliant")], 5);
  await applyPage([finding(4, "non_compliant")], 6);
  const stored = (await getOne<Finding>("findings", "i1/a1"))!;
  assert.equal(stored.fields.status, "compliant");
  assert.equal(stored.version, 5);
  assert.equal(await getMeta("cursor"), 6);
});

test("a finding with a queued local edit keeps it", async () => {
  await commit(
    ["findings"],
    (t) => void t.objectStore("findings").put({ ...finding(5, "x").data, key: "i1/a1", version: 5, fields: { status: "not_applicable" } }),
    [{ name: "finding.record", args: { inspection_id: "i1", item_id: "a1", base_version: 5, fields: {} } }],
  );
  await applyPage([finding(7, "compliant")], 7);
  assert.equal((await getOne<Finding>("findings", "i1/a1"))!.fields.status, "not_applicable");
});

test("a colleague's photo arrives as a row without bytes", async () => {
  const sha = "ab".repeat(32);
  await applyPage(
    [{ version: 8, entity: "photo", id: "p1", op: "upsert", data: { inspection_id: "i1", item_id: "a1", sha256: sha, bytes: 10, mime: "image/jpeg" } }],
    8,
  );
  const photo = (await getOne<Photo>("photos", "p1"))!;
  assert.equal(photo.sha256, sha);
  assert.equal(photo.uploaded, true);
});

test("a pulled checklist keeps its own version, not the change-log counter", async () => {
  const definition = { key: "wages", version: 3, title: { en: "Wages", zh: "工资" }, sections: [] };
  await applyPage([{ version: 912, entity: "checklist", id: "wages@3", op: "upsert", data: { key: "wages", version: 912, definition } }], 912);
  const stored = (await getOne<ChecklistRecord>("checklists", "wages@3"))!;
  assert.equal(stored.version, 3);
  assert.equal(stored.key, "wages");
});

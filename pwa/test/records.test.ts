// The submission's content hash is built from this device's own records (records.attestedRows -> attested.ts,
// hash_version 2): every part of the record is in it, as the server's snapshot holds it; and the visit date is
// the device's local date, not the UTC one.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { documentV2 } from "../src/attested";
import { getAll, tx } from "../src/db";
import { pending } from "../src/outbox";
import { attestedRows, correctedVisitDate, deadlineOf, localDate, recordAction } from "../src/records";
import type { Action, Finding, Inspection, Note, Photo } from "../src/types";

process.env.TZ = "Asia/Shanghai"; // a tablet in Beijing (Node applies a changed TZ at once)

const ID = "0193a5e1-0000-7000-8000-0000000000aa";
const fix = { lat: 39.9, lon: 116.4, accuracy_m: 20, at: "2026-03-05T00:00:00Z" };

test("every part of the local record reaches the hashed document", async () => {
  const inspection: Inspection = {
    id: ID, establishment_id: "e", checklist: "general-administration@1", type: "planned", team: ["u"], lead: "u",
    status: "draft", version: 0, gps_start: fix, created_at: "", updated_at: "",
    header: { visit_date: "2026-03-05", location: { lat: 39.9, lon: 116.4, accuracy_m: 20 }, employer_representative: "Li Wei" },
    interviews: [{ id: "iv", men: 2, women: 1, under_18: 0, note: "long hours", at: "" }],
  };
  const finding: Finding = {
    key: `${ID}/a.1`, inspection_id: ID, item_id: "a.1", version: 0, updated_at: "",
    fields: { status: "non_compliant", remark: "no register", workers_affected: { men: 3, women: 0, under_18: 0 } },
    workers: { men: 3, women: 0, under_18: 0 },
  };
  const unanswered: Finding = { ...finding, key: `${ID}/a.2`, item_id: "a.2", fields: { remark: "later" } };
  const note: Note = { id: "n", inspection_id: ID, item_id: "a.1", text: "seen at the gate" };
  const base = { inspection_id: ID, bytes: 1, uploaded: false, created_at: "", preview_mime: null };
  const photo: Photo = {
    ...base, id: "p", kind: "photo", item_id: "a.1", sha256: "a".repeat(64), mime: "image/png",
    preview_sha256: "b".repeat(64), geo: fix,
  };
  const signature: Photo = {
    ...base, id: "s", kind: "signature", item_id: null, sha256: "c".repeat(64), mime: "image/png",
    preview_sha256: null, geo: fix, signer_name: "Li Wei", signer_role: "employer",
  };
  const action: Action = {
    id: "m", inspection_id: ID, item_id: "a.1", measure: "order_to_rectify", deadline: "2026-03-19",
    deadline_days: 14, text: "keep a register",
  };
  await tx(["inspections", "findings", "notes", "photos", "actions"], "readwrite", (t) => {
    t.objectStore("inspections").put(inspection);
    t.objectStore("findings").put(finding);
    t.objectStore("findings").put(unanswered);
    t.objectStore("notes").put(note);
    t.objectStore("photos").put(photo);
    t.objectStore("photos").put(signature);
    t.objectStore("actions").put(action);
  });
  const document = documentV2(await attestedRows(inspection), ID);
  assert.deepEqual(document, {
    hash_version: 2,
    inspection_id: ID,
    checklist: "general-administration@1",
    header: { visit_date: "2026-03-05", gps: { lat: 39.9, lon: 116.4, accuracy_m: 20 }, employer_representative: "Li Wei" },
    findings: [
      { item_id: "a.1", status: "non_compliant", value: null, remark: "no register", workers_affected: { men: 3, women: 0, under_18: 0 } },
    ],
    notes: [{ item_id: "a.1", text: "seen at the gate" }],
    photos: [
      { sha256: "a".repeat(64), preview_sha256: "b".repeat(64), item_id: "a.1", latitude: 39.9, longitude: 116.4, accuracy_m: 20, caption: "" },
    ],
    signatures: [{ signer_name: "Li Wei", signer_role: "employer", sha256: "c".repeat(64) }],
    interviews: [{ men: 2, women: 1, under_18: 0, note: "long hours" }],
    measures: [{ measure: "order_to_rectify", item_ids: ["a.1"], deadline_days: 14, text: "keep a register" }],
  });
});

test("the visit date is the device's local date", () => {
  const at = new Date(2026, 2, 5, 7, 30); // 07:30 local time
  assert.equal(localDate(at), "2026-03-05");
});

test("an earlier app version's UTC visit date is corrected to the local date before hashing", () => {
  const created = new Date(2026, 2, 5, 7, 30); // 07:30 local time
  assert.equal(created.toISOString(), "2026-03-04T23:30:00.000Z");
  const old = { header: { visit_date: "2026-03-04" }, created_at: created.toISOString() }; // the UTC date
  assert.equal(correctedVisitDate(old), "2026-03-05");
  const given = { header: { visit_date: "2026-03-05" }, created_at: created.toISOString() };
  assert.equal(correctedVisitDate(given), null); // today's app: the local date stands
  assert.equal(correctedVisitDate({ header: { visit_date: "2026-01-15" }, created_at: created.toISOString() }), null);
  assert.equal(correctedVisitDate({ header: {}, created_at: created.toISOString() }), null);
});

test("a visit is dated in the establishment's zone when the device's clock is in another", () => {
  const at = new Date("2026-03-04T23:30:00Z"); // 07:30 on 5 March in Beijing
  assert.equal(localDate(at, "Asia/Shanghai"), "2026-03-05");
  assert.equal(localDate(at, "UTC"), "2026-03-04");
  assert.equal(localDate(at, "America/New_York"), "2026-03-04");
  assert.equal(localDate(at, "No/Such_Zone"), "2026-03-05"); // unknown here: the device's own (Beijing)
  const old = { header: { visit_date: "2026-03-04" }, created_at: at.toISOString() };
  assert.equal(correctedVisitDate(old, "America/New_York"), null); // the UTC date is the local date there
});

test("a measure's deadline is counted from the visit date, as the server counts it, not from today", async () => {
  const visit: Inspection = {
    id: "0193a5e1-0000-7000-8000-0000000000ab", establishment_id: "e", checklist: "general-administration@1",
    type: "planned", team: ["u"], lead: "u", status: "draft", version: 0, created_at: "", updated_at: "",
    header: { visit_date: "2026-03-05" }, gps_start: fix, interviews: [],
  };
  await tx(["inspections"], "readwrite", (t) => void t.objectStore("inspections").put(visit));
  const measure = { item_id: "a.1", measure: "order_to_rectify", deadline: "2026-03-19", text: "" } as const;
  await recordAction(visit, measure);
  const [sent] = (await pending()).filter((e) => e.name === "action.record");
  assert.equal(sent.args.deadline_days, 14); // 2026-03-05 + 14 days: the date the server prints too
  const [held] = (await getAll<Action>("actions")).filter((a) => a.inspection_id === visit.id);
  assert.equal(held.deadline, "2026-03-19");
  assert.deepEqual(deadlineOf("2026-03-19", null, "2026-03-10"), { days: 9, deadline: "2026-03-19" }); // no visit date
  assert.deepEqual(deadlineOf("2026-03-01", "2026-03-05", "2026-03-10"), { days: 0, deadline: "2026-03-05" });
  assert.deepEqual(deadlineOf(null, "2026-03-05", "2026-03-10"), { days: null, deadline: null });
});

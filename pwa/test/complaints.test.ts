// Complaint intake on the tablet: the same rule as the server (a summary; received no later than tomorrow), and
// the complaint queued as one `complaint.create` carrying no complainant identity.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { complaintValid, complaintsWaiting, localDay, recordComplaint } from "../src/complaints";
import { pending } from "../src/outbox";

test("a complaint needs a summary and a date no later than tomorrow", () => {
  const ok = { summary: "wages unpaid", received_on: "2026-12-02", confidential: true };
  assert.equal(complaintValid(ok, "2026-12-02"), true);
  assert.equal(complaintValid({ ...ok, received_on: "2026-12-03" }, "2026-12-02"), true);
  assert.equal(complaintValid({ ...ok, received_on: "2026-12-04" }, "2026-12-02"), false);
  assert.equal(complaintValid({ ...ok, summary: "   " }, "2026-12-02"), false);
  assert.equal(complaintValid({ ...ok, received_on: "2.12.2026" }, "2026-12-02"), false);
  assert.equal(complaintValid({ ...ok, summary: "x".repeat(10_001) }, "2026-12-02"), false);
});

test("recording queues one complaint.create, with no identity in it", async () => {
  const id = await recordComplaint("e-1", { summary: "  exits locked ", received_on: localDay(), confidential: false });
  const entries = await pending();
  const entry = entries.find((e) => e.name === "complaint.create");
  assert.ok(entry);
  assert.deepEqual(entry.args, {
    complaint_id: id,
    establishment_id: "e-1",
    summary: "exits locked",
    received_on: localDay(),
    confidential: false,
  });
  assert.equal(await complaintsWaiting(), 1);
  await assert.rejects(recordComplaint("e-1", { summary: "", received_on: localDay(), confidential: true }));
});

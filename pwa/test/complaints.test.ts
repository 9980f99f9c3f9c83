// Complaint intake on the tablet: the same rule as the server (a summary; received no later than tomorrow), and
// the complaint queued as one `complaint.create` carrying no complainant identity.
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { complaintValid, complaintsWaiting, homeDistrict, localDay, matterChoices, recordComplaint } from "../src/complaints";
import { getAll } from "../src/db";
import { pending } from "../src/outbox";
import { retakeOf, workplaceOf } from "../src/refusals";
import { acknowledge, dismissOutcome } from "../src/sync";
import type { Outcome } from "../src/types";

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
    matters: [],
    channel: "field",
  });
  assert.equal(await complaintsWaiting(), 1);
  await assert.rejects(recordComplaint("e-1", { summary: "", received_on: localDay(), confidential: true }));
});

test("an unregistered workplace needs a name and a district; matters and channel travel with it", async () => {
  const draft = { summary: "children at the machines", received_on: localDay(), confidential: true, matters: ["child-labour", "child-labour"], channel: "phone" };
  const place = { name: " Back-street workshop ", address: "Lane 4", description: "blue door", district_id: "d-1" };
  assert.equal(complaintValid(draft, localDay(), { ...place, name: " " }), false);
  assert.equal(complaintValid(draft, localDay(), { ...place, district_id: "" }), false);
  await assert.rejects(recordComplaint(null, draft));
  const id = await recordComplaint(null, draft, place);
  const entry = (await pending()).find((e) => e.args.complaint_id === id);
  assert.deepEqual(entry?.args, {
    complaint_id: id,
    district_id: "d-1",
    workplace_name: "Back-street workshop",
    workplace_address: "Lane 4",
    workplace_description: "blue door",
    summary: "children at the machines",
    received_on: localDay(),
    confidential: true,
    matters: ["child-labour"],
    channel: "phone",
  });
});

test("the matters offered are the newest version of each checklist; the district is the user's own", () => {
  const c = (key: string, version: number) => ({ ref: `${key}@${version}`, key, version, sha256: "", title: { en: key, zh: key }, definition: {} as never });
  assert.deepEqual(matterChoices([c("b", 1), c("a", 2), c("b", 3), c("a", 1)]).map((x) => x.ref), ["a@2", "b@3"]);
  const user = { id: "u", email: "", name: "", role: "inspector" as const, org_unit_ids: ["d-2"] };
  const at = (district_id: string) => ({ district_id }) as never;
  assert.equal(homeDistrict(user, [at("d-1"), at("d-2")]), "d-2");
  assert.equal(homeDistrict({ ...user, org_unit_ids: ["province"] }, [at("d-1"), at("d-3"), at("d-3")]), "d-3");
  assert.equal(homeDistrict({ ...user, org_unit_ids: [] }, []), null);
});

test("a refused complaint keeps only what names it on the tablet, and is deleted when dismissed", async () => {
  const registered = await recordComplaint("e-2", { summary: "Zhang San says wages unpaid", received_on: localDay(), confidential: true });
  const place = { name: "Back-street workshop", address: "Lane 4", description: "blue door", district_id: "d-1" };
  const unregistered = await recordComplaint(null, { summary: "Li Si: children at work", received_on: localDay(), confidential: true }, place);
  const all = await pending();
  const refused = all.filter((e) => e.args.complaint_id === registered || e.args.complaint_id === unregistered);
  const lastSeq = Math.max(...all.map((e) => e.seq));
  await acknowledge(all, lastSeq, [
    ...all.filter((e) => !refused.includes(e)).map((e) => ({ id: e.id, seq: e.seq, outcome: "applied" as const })),
    ...refused.map((e) => ({ id: e.id, seq: e.seq, outcome: "rejected" as const, reason: "invalid", data: { code: "complaint.unknown_matter" } })),
  ]);
  const held = await getAll<Outcome>("outcomes");
  assert.deepEqual(held.map((o) => o.args), [{ establishment_id: "e-2" }, { workplace_name: "Back-street workshop" }]);
  assert.ok(!JSON.stringify(held).includes("Zhang San") && !JSON.stringify(held).includes("Li Si"));
  assert.equal(retakeOf(held[0]), "#/complaint/e-2");
  assert.equal(workplaceOf(held[1], new Map()), "Back-street workshop");
  await dismissOutcome(held[0]);
  assert.deepEqual((await getAll<Outcome>("outcomes")).map((o) => o.seq), [held[1].seq]); // gone, not just hidden
});

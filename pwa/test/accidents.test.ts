// Accident reports on the tablet: the time carries the tablet's offset, a future time is refused, and the report is
// queued as one `accident.report` with the persons as described (no names).
import "fake-indexeddb/auto";
import assert from "node:assert/strict";
import { test } from "node:test";
import { accidentValid, blankPerson, reportAccident, withOffset } from "../src/accidents";
import { pending } from "../src/outbox";

test("a local time gets the tablet's UTC offset", () => {
  const at = withOffset("2026-11-30T08:15");
  assert.ok(at && /^2026-11-30T08:15:00[+-]\d{2}:\d{2}$/.test(at), at ?? "null");
  assert.equal(new Date(at).getTime(), new Date("2026-11-30T08:15").getTime());
  assert.equal(withOffset(""), null);
  assert.equal(withOffset("not a time"), null);
});

test("a report needs a time not in the future", () => {
  const draft = { occurred_at: "2026-11-30T08:15", commuting: false, description: "", persons: [blankPerson()] };
  assert.equal(accidentValid(draft, new Date("2026-12-01T00:00:00Z")), true);
  assert.equal(accidentValid({ ...draft, occurred_at: "2030-01-01T00:00" }, new Date("2026-12-01T00:00:00Z")), false);
  assert.equal(accidentValid({ ...draft, persons: [{ ...blankPerson(), days_lost: -1 }] }, new Date("2026-12-01")), false);
});

test("reporting queues one accident.report", async () => {
  const person = { ...blankPerson(), fatal: true };
  const id = await reportAccident("e-9", { occurred_at: "2026-11-30T08:15", commuting: true, description: " fall ", persons: [person] });
  const [entry] = (await pending()).filter((e) => e.name === "accident.report");
  assert.equal(entry.args.accident_id, id);
  assert.equal(entry.args.establishment_id, "e-9");
  assert.equal(entry.args.commuting, true);
  assert.equal(entry.args.description, "fall");
  assert.deepEqual(entry.args.persons, [person]);
});

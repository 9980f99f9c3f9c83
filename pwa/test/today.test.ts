// "Today" at the establishment (today.ts): the date in its district's time zone, not the UTC date. At 17:30 UTC
// on 3 December it is already 4 December in Shanghai; at 15:30 UTC both say the 3rd.
import assert from "node:assert/strict";
import { test } from "node:test";
import { localDate, plusDays, todayAt } from "../src/today";

const EVENING_UTC = new Date("2026-12-03T17:30:00Z"); // 01:30 on the 4th in Shanghai

test("today in the establishment's zone, where its date and the UTC date differ", () => {
  assert.equal(EVENING_UTC.toISOString().slice(0, 10), "2026-12-03");
  assert.equal(todayAt({ time_zone: "Asia/Shanghai" }, EVENING_UTC), "2026-12-04");
  assert.equal(todayAt({ time_zone: "UTC" }, EVENING_UTC), "2026-12-03");
  assert.equal(todayAt({ time_zone: "Asia/Shanghai" }, new Date("2026-12-03T15:30:00Z")), "2026-12-03");
});

test("without a zone (or an unknown one), the device's own date", () => {
  assert.equal(todayAt(null, EVENING_UTC), localDate(EVENING_UTC));
  assert.equal(todayAt({ time_zone: "Nowhere/Else" }, EVENING_UTC), localDate(EVENING_UTC));
});

test("days are added to a calendar date, across a month and a year", () => {
  assert.equal(plusDays("2026-12-04", 30), "2027-01-03");
  assert.equal(plusDays("2026-02-28", 1), "2026-03-01");
});

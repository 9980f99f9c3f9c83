// When the desk renews its access token: only near expiry, only after activity since the last renewal; an idle
// desk lets the token lapse and signs out when it has expired.
import assert from "node:assert/strict";
import { test } from "node:test";
import { nextStep, RENEW_BEFORE_MS, WARN_BEFORE_MS } from "../src/views/desk/renewal";

const MIN = 60_000;
const issued = 1_000_000;
const expires = issued + 30 * MIN;

test("far from expiry it waits, however active", () => {
  assert.equal(nextStep(issued + 10 * MIN, expires, issued + 9 * MIN, issued), "wait");
  assert.equal(nextStep(expires - RENEW_BEFORE_MS - 1, expires, expires - RENEW_BEFORE_MS - 2, issued), "wait");
});

test("near expiry it renews after activity since the last renewal", () => {
  assert.equal(nextStep(expires - RENEW_BEFORE_MS, expires, issued + 1, issued), "renew");
  assert.equal(nextStep(expires - 1, expires, expires - 2, issued), "renew");
});

test("near expiry without activity it waits, warns two minutes before, then expires", () => {
  assert.equal(nextStep(expires - WARN_BEFORE_MS - 1, expires, 0, issued), "wait");
  assert.equal(nextStep(expires - WARN_BEFORE_MS, expires, 0, issued), "warn");
  assert.equal(nextStep(expires - MIN, expires, issued, issued), "warn"); // activity not after the renewal
  assert.equal(nextStep(expires, expires, 0, issued), "expire");
  assert.equal(nextStep(expires + MIN, expires, expires + 1, issued), "expire"); // too late to renew
});

// Opened over plain HTTP from another host, the app explains itself in both languages (no TypeError later).
import assert from "node:assert/strict";
import { test } from "node:test";
import { insecureExplanation } from "../src/secure";

test("a secure context runs the app", () => {
  assert.equal(insecureExplanation({ isSecureContext: true, location: { origin: "https://x", hostname: "x" } }), null);
});

test("plain HTTP from another host is explained in English and Chinese", () => {
  const place = { isSecureContext: false, location: { origin: "http://192.168.1.20:8000", hostname: "192.168.1.20" } };
  const e = insecureExplanation(place);
  assert.ok(e);
  assert.match(e.en.body, /http:\/\/192\.168\.1\.20:8000/);
  assert.match(e.en.fix, /https:\/\/192\.168\.1\.20/);
  assert.match(e.zh.title, /无法/);
  assert.match(e.zh.body, /HTTPS/);
  for (const part of [e.en, e.zh]) assert.ok(!Object.values(part).some((text) => text.includes("{")));
});

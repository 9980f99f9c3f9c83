// Unit tests of the PWA's pure modules: each test/*.test.ts is bundled by esbuild for Node and run by node's
// built-in test runner (IndexedDB from fake-indexeddb). Exits non-zero when a test fails. --test-force-exit: an
// open BroadcastChannel (db.ts) would keep each test process alive.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const OUT = join("node_modules", ".cache", "unit-tests");
// Tests read shared files (vectors, PROTOCOL.md) relative to pwa/, where this runs.
const files = readdirSync("test").filter((f) => f.endsWith(".test.ts"));
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: files.map((f) => join("test", f)),
  outdir: OUT,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  jsx: "automatic",
  jsxImportSource: "preact",
  logLevel: "warning",
  define: { __HASH_WORKER_URL__: '"/hash.worker.js"', __APP_VERSION__: '"test"' },
});
const outputs = files.map((f) => join(OUT, f.replace(/\.ts$/, ".mjs")));
const run = spawnSync(process.execPath, ["--test", "--test-force-exit", "--test-reporter=spec", ...outputs], { stdio: "inherit" });
process.exit(run.status ?? 1);

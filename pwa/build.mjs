// Builds pwa/dist: hashed JS/CSS/worker bundles, index.html, the web app manifest, the precache
// manifest, and sw.js with that manifest inlined (so any asset change changes sw.js and triggers an update).
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { appleTouchIcon } from "./touchicon.mjs";
import { join, relative } from "node:path";

const SRC = "src";
const DIST = "dist";
const { version } = JSON.parse(readFileSync("package.json", "utf8"));

rmSync(DIST, { recursive: true, force: true });
mkdirSync(join(DIST, "assets"), { recursive: true });

const common = { bundle: true, minify: true, target: "es2022", legalComments: "none", logLevel: "warning" };

function outputOf(result, suffix, prefix = "") {
  const out = Object.keys(result.metafile.outputs).find(
    (f) => f.endsWith(suffix) && f.split("/").pop().startsWith(prefix),
  );
  if (!out) throw new Error(`no ${suffix} output`);
  return "/" + relative(DIST, out).split("\\").join("/");
}

// 1. The hashing worker first: the app needs its hashed URL.
const worker = await build({
  ...common,
  entryPoints: { "hash.worker": join(SRC, "hash.worker.ts") },
  outdir: join(DIST, "assets"),
  entryNames: "[name]-[hash]",
  format: "esm",
  metafile: true,
});
const workerUrl = outputOf(worker, ".js");

// 2. The app (JS + CSS).
const app = await build({
  ...common,
  entryPoints: { app: join(SRC, "main.tsx") },
  outdir: join(DIST, "assets"),
  entryNames: "[name]-[hash]",
  chunkNames: "chunk-[hash]", // the supervisor's desk (views/desk/) is loaded on demand, in its own chunk
  splitting: true,
  format: "esm",
  jsx: "automatic",
  jsxImportSource: "preact",
  metafile: true,
  define: {
    __HASH_WORKER_URL__: JSON.stringify(workerUrl),
    __APP_VERSION__: JSON.stringify(version),
  },
});
const appJs = outputOf(app, ".js", "app-");
const appCss = outputOf(app, ".css", "app-");

// 3. Static files.
copyFileSync(join(SRC, "icon.svg"), join(DIST, "icon.svg"));
copyFileSync(join(SRC, "manifest.webmanifest"), join(DIST, "manifest.webmanifest"));
writeFileSync(join(DIST, "apple-touch-icon.png"), appleTouchIcon()); // ops: the iPad's home-screen icon
const html = readFileSync(join(SRC, "index.html"), "utf8")
  .replace("%APP_JS%", appJs)
  .replace("%APP_CSS%", appCss);
writeFileSync(join(DIST, "index.html"), html);

// 4. The precache manifest: every file in dist except sw.js itself, with a content revision.
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
const entries = walk(DIST)
  .map((path) => ({
    url: "/" + relative(DIST, path).split("\\").join("/"),
    revision: createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16),
  }))
  .sort((a, b) => a.url.localeCompare(b.url));
const manifestHash = createHash("sha256").update(JSON.stringify(entries)).digest("hex").slice(0, 16);
writeFileSync(
  join(DIST, "precache-manifest.json"),
  JSON.stringify({ version: manifestHash, entries }, null, 2) + "\n",
);

// 5. The service worker, unhashed at /sw.js, with the manifest inlined.
await build({
  ...common,
  entryPoints: [join(SRC, "sw.ts")],
  outfile: join(DIST, "sw.js"),
  format: "iife",
  define: {
    __PRECACHE__: JSON.stringify(entries),
    __PRECACHE_VERSION__: JSON.stringify(manifestHash),
  },
});

const kb = (f) => (statSync(join(DIST, f)).size / 1024).toFixed(1);
console.log(`pwa: built ${entries.length} precached files, version ${manifestHash}`);
console.log(`pwa: ${appJs} ${kb(appJs)} KiB, ${appCss} ${kb(appCss)} KiB, ${workerUrl} ${kb(workerUrl)} KiB`);

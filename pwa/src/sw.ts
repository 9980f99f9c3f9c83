// The service worker: precaches the hashed build output listed by the build, serves it cache-first,
// answers navigations with the cached index.html, and never handles /api (sync is done by the page).
// An updated worker waits until the page asks it to take over ({type: "SKIP_WAITING"}).

declare const __PRECACHE__: { url: string; revision: string }[];
declare const __PRECACHE_VERSION__: string;

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `li-precache-${__PRECACHE_VERSION__}`;
const PREFIX = "li-precache-";
const URLS = new Set(__PRECACHE__.map((e) => e.url));

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // Reuse unchanged entries from older caches; fetch only what changed.
      const old = (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE);
      for (const entry of __PRECACHE__) {
        const key = `${entry.url}?__rev=${entry.revision}`;
        if (await cache.match(key)) continue;
        let response: Response | undefined;
        for (const name of old) {
          response = await (await caches.open(name)).match(key);
          if (response) break;
        }
        if (!response) {
          response = await fetch(new Request(entry.url, { cache: "reload" }));
          if (!response.ok) throw new Error(`precache ${entry.url}: HTTP ${response.status}`);
        }
        await cache.put(key, response);
      }
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") void sw.skipWaiting();
});

function revisionKey(path: string): string | undefined {
  const entry = __PRECACHE__.find((e) => e.url === path);
  return entry && `${entry.url}?__rev=${entry.revision}`;
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (url.pathname === "/api" || url.pathname.startsWith("/api/")) return; // never handled
  let key: string | undefined;
  if (request.mode === "navigate") key = revisionKey("/index.html");
  else if (URLS.has(url.pathname)) key = revisionKey(url.pathname);
  if (!key) return;
  const cacheKey = key;
  event.respondWith(
    (async () => {
      const cached = await (await caches.open(CACHE)).match(cacheKey);
      return cached ?? fetch(request);
    })(),
  );
});

// Page side of the service worker: register it, notice a waiting update, and switch only when the user asks.
const listeners = new Set<() => void>();
let waiting: ServiceWorker | null = null;
let userAsked = false;

export function onUpdateReady(listener: () => void): () => void {
  listeners.add(listener);
  if (waiting) listener();
  return () => listeners.delete(listener);
}

function found(worker: ServiceWorker | null): void {
  if (!worker || !navigator.serviceWorker.controller) return; // first install: nothing to update
  waiting = worker;
  listeners.forEach((l) => l());
}

export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (userAsked) location.reload(); // never reload on our own: all data is saved, but the user's place is not
  });
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then((registration) => {
      if (registration.waiting) found(registration.waiting);
      registration.addEventListener("updatefound", () => {
        const installing = registration.installing;
        installing?.addEventListener("statechange", () => {
          if (installing.state === "installed") found(registration.waiting ?? installing);
        });
      });
      setInterval(() => void registration.update().catch(() => undefined), 30 * 60 * 1000);
    })
    .catch((error) => console.warn("service worker registration failed", error));
}

/** The user chose "Reload": let the waiting worker take over, then reload once it controls the page. */
export function applyUpdate(): void {
  userAsked = true;
  if (waiting) waiting.postMessage({ type: "SKIP_WAITING" });
  else location.reload();
}

// GPS: watch the position while an inspection is open and keep the best recent fix.
// "No fix" is always recorded explicitly (lat/lon/accuracy null), never omitted.
import type { GeoFix } from "./types";

const MAX_AGE_MS = 2 * 60 * 1000;
export const POOR_ACCURACY_M = 50;

let watchId: number | null = null;
let best: (GeoFix & { t: number }) | null = null;
let lastError: string | null = null;
const listeners = new Set<() => void>();

export function noFix(): GeoFix {
  return { lat: null, lon: null, accuracy_m: null, at: new Date().toISOString() };
}

function notify(): void {
  listeners.forEach((l) => l());
}

export function onGeo(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function startWatching(): void {
  if (watchId !== null || !("geolocation" in navigator)) return;
  watchId = navigator.geolocation.watchPosition(
    (p) => {
      const t = p.timestamp || Date.now();
      const fresh = best && Date.now() - best.t < MAX_AGE_MS;
      if (!fresh || !best || p.coords.accuracy <= (best.accuracy_m ?? Infinity)) {
        best = {
          lat: p.coords.latitude,
          lon: p.coords.longitude,
          accuracy_m: Math.round(p.coords.accuracy * 10) / 10,
          at: new Date(t).toISOString(),
          t,
        };
      }
      lastError = null;
      notify();
    },
    (e) => {
      lastError = e.message || `error ${e.code}`;
      notify();
    },
    { enableHighAccuracy: true, maximumAge: 30_000, timeout: 60_000 },
  );
}

export function stopWatching(): void {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
}

/** The best fix of the last two minutes, or an explicit "no fix". */
export function currentFix(): GeoFix {
  if (best && Date.now() - best.t < MAX_AGE_MS) {
    const { t: _t, ...fix } = best;
    return fix;
  }
  return noFix();
}

export function geoError(): string | null {
  return lastError;
}

/** Wait up to `ms` for a first fix (used when an inspection starts). */
export function fixWithin(ms: number): Promise<GeoFix> {
  startWatching();
  const now = currentFix();
  if (now.lat !== null) return Promise.resolve(now);
  return new Promise((resolve) => {
    const stop = onGeo(() => {
      const fix = currentFix();
      if (fix.lat !== null) {
        stop();
        clearTimeout(timer);
        resolve(fix);
      }
    });
    const timer = setTimeout(() => {
      stop();
      resolve(noFix());
    }, ms);
  });
}

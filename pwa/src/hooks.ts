// Small Preact hooks: live IndexedDB queries, the current route, language changes.
import { useEffect, useState } from "preact/hooks";
import { onChange } from "./db";
import { emitError } from "./errors";
import { onLang } from "./i18n";

/** Run an IndexedDB query now and again after every local or cross-tab change. */
export function useLive<T>(query: () => Promise<T>, deps: unknown[]): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    let queued = false;
    let latest = 0; // reads can finish out of order: only the newest one may set the value
    const run = () => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        const n = ++latest;
        query().then(
          (v) => alive && n === latest && setValue(() => v),
          (e) => emitError("error.read_failed", e),
        );
      });
    };
    run();
    const off = onChange(run);
    return () => {
      alive = false;
      off();
    };
  }, deps);
  return value;
}

export function useRoute(): string[] {
  const parse = () => (location.hash.replace(/^#\/?/, "") || "home").split("/");
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const handler = () => setRoute(parse());
    window.addEventListener("hashchange", handler);
    return () => window.removeEventListener("hashchange", handler);
  }, []);
  return route;
}

export function navigate(path: string): void {
  location.hash = `#/${path}`;
}

export function useLangVersion(): number {
  const [n, setN] = useState(0);
  useEffect(() => onLang(() => setN((x) => x + 1)), []);
  return n;
}

/** Whether the browser believes it is online (a request can still fail: this only picks what to offer). */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return online;
}

// What is being typed (a note, a value, a count) is saved as it is typed: each keystroke goes to a small
// synchronous journal (localStorage, which survives the page being closed or killed) and, 400 ms after the
// last one, through the outbox like every other write. pagehide and a hidden page flush at once; entries a
// closed page left in the journal are replayed at the next start (a value already stored sends nothing).

export type TypedField = "remark" | "value" | "men" | "women" | "under_18";

export interface Typed {
  inspection_id: string;
  item_id: string;
  field: TypedField;
  value: string | number | null;
}

export type Saver = (entry: Typed) => Promise<void>;

export interface Journal {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

export const DELAY_MS = 400;
const PREFIX = "li-typing:";

let saver: Saver = async () => undefined;
let journal: Journal | null = null;
const queued = new Map<string, Typed>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();

export function keyOf(e: Pick<Typed, "inspection_id" | "item_id" | "field">): string {
  return `${e.inspection_id}/${e.item_id}/${e.field}`;
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    /* storage unavailable or full: the debounced save still runs */
  }
}

/** Wire the journal and the function that writes a typed value (records.saveTyped). */
export function setupTyping(store: Journal | null, save: Saver): void {
  journal = store;
  saver = save;
}

/** A keystroke: journal it now, save it after the pause. */
export function typed(entry: Typed, delay = DELAY_MS): void {
  const key = keyOf(entry);
  queued.set(key, entry);
  safe(() => journal?.setItem(PREFIX + key, JSON.stringify(entry)));
  clearTimeout(timers.get(key));
  timers.set(key, setTimeout(() => void flush(key), delay));
}

/** Whether a value is still waiting to be saved (the field shows it rather than the stored one). */
export function isQueued(key: string): boolean {
  return queued.has(key);
}

/** Save a queued value now (the field lost focus, the page is going away). */
export async function flush(key: string): Promise<void> {
  clearTimeout(timers.get(key));
  timers.delete(key);
  const entry = queued.get(key);
  if (!entry) return;
  queued.delete(key);
  try {
    await saver(entry);
  } catch {
    return; // kept in the journal; replayed at the next start
  }
  if (!queued.has(key)) safe(() => journal?.removeItem(PREFIX + key));
}

export function flushAll(): Promise<void> {
  return Promise.all([...queued.keys()].map(flush)).then(() => undefined);
}

/** Replay what a closed page left in the journal (once, at start, before the first sync). */
export async function recoverTyping(): Promise<number> {
  if (!journal) return 0;
  const keys: string[] = [];
  for (let i = 0; i < journal.length; i++) {
    const key = journal.key(i);
    if (key?.startsWith(PREFIX) && !queued.has(key.slice(PREFIX.length))) keys.push(key);
  }
  let replayed = 0;
  for (const key of keys) {
    let entry: Typed | null = null;
    try {
      entry = JSON.parse(journal.getItem(key) ?? "null") as Typed | null;
    } catch {
      entry = null;
    }
    try {
      if (entry) await saver(entry);
      replayed += entry ? 1 : 0;
    } catch {
      /* the record is gone or locked: what was typed cannot be applied any more */
    }
    safe(() => journal?.removeItem(key));
  }
  return replayed;
}

/** Flush when the page is hidden or goes away (the app closed, the tablet locked, another app opened). */
export function flushOnHide(target: Pick<Window, "addEventListener">, doc: Pick<Document, "addEventListener" | "visibilityState">): void {
  target.addEventListener("pagehide", () => void flushAll());
  doc.addEventListener("visibilitychange", () => {
    if (doc.visibilityState === "hidden") void flushAll();
  });
}

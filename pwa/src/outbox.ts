// The outbox: every local change is written together with its mutation(s) in ONE IndexedDB transaction.
// Sequence numbers are assigned here, inside that transaction; entries are never edited or renumbered.
import { assertStorable } from "./canonical";
import { getAll, getMeta, putMeta, req, tx, type StoreName } from "./db";
import { saving } from "./errors";
import { uuid7 } from "./ids";
import type { OutboxEntry } from "./types";

export interface MutationDraft {
  name: string;
  args: Record<string, unknown>;
}

export interface SeqState {
  next_seq: number; // the seq the next mutation gets
  acked_seq: number; // the highest seq the server has acknowledged
}

const INITIAL: SeqState = { next_seq: 1, acked_seq: 0 };
let afterWrite: () => void = () => undefined;

/** The sync module registers itself here, to run soon after a local write. */
export function setAfterWrite(fn: () => void): void {
  afterWrite = fn;
}

/**
 * Apply a local change and enqueue its mutations atomically. `apply` receives the transaction and must only
 * issue IndexedDB requests on it (no other awaits), so the transaction stays alive. `mutations` may be a
 * function, called after `apply`, when the arguments depend on what `apply` read (e.g. a base version).
 * Arguments the protocol cannot carry (NaN, Infinity, a lone surrogate, a NUL character) abort it all.
 */
export async function commit(
  stores: StoreName[],
  apply: (t: IDBTransaction) => Promise<void> | void,
  mutations: MutationDraft[] | (() => MutationDraft[]),
): Promise<void> {
  const all = Array.from(new Set<StoreName>([...stores, "meta", "outbox"]));
  await saving(() =>
    tx(all, "readwrite", async (t) => {
      await apply(t);
      const row = (await req(t.objectStore("meta").get("seq"))) as { value: SeqState } | undefined;
      const state = row?.value ?? INITIAL;
      let seq = state.next_seq;
      for (const m of typeof mutations === "function" ? mutations() : mutations) {
        assertStorable(m.args, m.name); // throws: the transaction aborts, the change is not saved and says why
        const entry: OutboxEntry = {
          seq,
          id: uuid7(),
          name: m.name,
          v: 1,
          client_ts: new Date().toISOString(),
          args: m.args,
          attempts: 0,
          last_error: null,
        };
        t.objectStore("outbox").add(entry);
        seq += 1;
      }
      putMeta(t, "seq", { ...state, next_seq: seq });
    }),
  );
  afterWrite();
}

export function pending(): Promise<OutboxEntry[]> {
  return getAll<OutboxEntry>("outbox");
}

export async function seqState(): Promise<SeqState> {
  return (await getMeta<SeqState>("seq")) ?? INITIAL;
}

/** The client invariant of PROTOCOL.md §10; returns an error text when it does not hold. */
export async function checkInvariant(): Promise<string | null> {
  const [entries, state] = await Promise.all([pending(), seqState()]);
  if (entries.length) {
    const max = Math.max(...entries.map((e) => e.seq));
    return max === state.next_seq - 1 ? null : `outbox max seq ${max} but next seq ${state.next_seq}`;
  }
  return state.acked_seq === state.next_seq - 1
    ? null
    : `outbox empty but acked seq ${state.acked_seq} and next seq ${state.next_seq}`;
}

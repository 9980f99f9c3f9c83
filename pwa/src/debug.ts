// window.__li: read-only diagnostics used by the end-to-end tests and by support staff.
import { holds } from "./applicability";
import { assertStorable, contentHash } from "./canonical";
import { getAll, req, type StoreName, tx } from "./db";
import { checkInvariant } from "./outbox";
import { syncNow, syncState } from "./sync";

export const marks: Record<string, number> = {};

export function installDebugHooks(): void {
  (window as unknown as { __li: unknown }).__li = {
    async dump(store: StoreName) {
      const rows = await getAll<Record<string, unknown>>(store);
      return rows.map((r) =>
        Object.fromEntries(Object.entries(r).filter(([, v]) => !(v instanceof ArrayBuffer))),
      );
    },
    outboxSize() {
      // counted, not read: works on a locked tablet too (its records are sealed, seal.ts)
      return tx(["outbox"], "readonly", (t) => req(t.objectStore("outbox").count()));
    },
    invariant: checkInvariant,
    contentHash,
    assertStorable,
    holds,
    syncNow,
    syncState,
    marks,
  };
}

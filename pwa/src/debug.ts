// window.__li: read-only diagnostics used by the end-to-end tests and by support staff.
import { holds } from "./applicability";
import { assertStorable, contentHash } from "./canonical";
import { getAll, type StoreName } from "./db";
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
    async outboxSize() {
      return (await getAll("outbox")).length;
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

// A follow-up visit's result for one measure it verifies (issue 17): recorded once on the device, in the same
// transaction as its `follow_up.result` mutation; the server then closes (complied) or escalates the measure.
import { req } from "./db";
import { commit } from "./outbox";
import type { Action, Inspection } from "./types";

export async function recordFollowUp(inspection: Inspection, action: Action, result: "complied" | "not_complied", note: string) {
  let first = false;
  await commit(
    ["actions"],
    async (t: IDBTransaction) => {
      const store = t.objectStore("actions");
      const current = (await req(store.get(action.id))) as Action | undefined;
      if (!current || current.follow_up_result) return; // recorded already: nothing is sent twice
      first = true;
      store.put({ ...current, follow_up_result: result, follow_up_in: inspection.id });
    },
    () =>
      first
        ? [
            {
              name: "follow_up.result",
              args: { inspection_id: inspection.id, action_id: action.id, result, ...(note ? { note } : {}) },
            },
          ]
        : [],
  );
}

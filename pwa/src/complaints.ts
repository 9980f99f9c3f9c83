// Complaint intake on the tablet, offline: the complaint goes into the outbox as `complaint.create` and reaches the
// server at the next sync. The complainant's identity is never taken here (C81 Art. 15(c)): it is recorded at the
// desk, sealed there, and no tablet holds it; the pull does not bring complaints back to the device either.
import { uuid7 } from "./ids";
import { commit, pending } from "./outbox";

export interface ComplaintDraft {
  summary: string;
  received_on: string; // YYYY-MM-DD
  confidential: boolean;
}

export const SUMMARY_MAX = 10_000;

/** The local date (YYYY-MM-DD) of a moment, as the tablet's clock and time zone say. */
export function localDay(at: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The rule the server applies too: a summary, no later than tomorrow (a day's grace for time zones). */
export function complaintValid(draft: ComplaintDraft, today: string = localDay()): boolean {
  const summary = draft.summary.trim();
  if (!summary || summary.length > SUMMARY_MAX) return false;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.received_on)) return false;
  const grace = new Date(`${today}T00:00:00`);
  grace.setDate(grace.getDate() + 1);
  return draft.received_on <= localDay(grace);
}

/** Queue the complaint (its id chosen here: sending it twice creates it once). */
export async function recordComplaint(establishmentId: string, draft: ComplaintDraft): Promise<string> {
  if (!complaintValid(draft)) throw new Error("the complaint is not valid");
  const id = uuid7();
  await commit([], () => undefined, [
    {
      name: "complaint.create",
      args: {
        complaint_id: id,
        establishment_id: establishmentId,
        summary: draft.summary.trim(),
        received_on: draft.received_on,
        confidential: draft.confidential,
      },
    },
  ]);
  return id;
}

/** How many complaints recorded on this tablet are still waiting to be sent. */
export async function complaintsWaiting(): Promise<number> {
  return (await pending()).filter((e) => e.name === "complaint.create").length;
}

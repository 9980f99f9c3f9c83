// Complaint intake on the tablet, offline: the complaint goes into the outbox as `complaint.create` and reaches the
// server at the next sync. The complainant's identity is never taken here (C81 Art. 15(c)): it is recorded at the
// desk, sealed there, and no tablet holds it; the pull does not bring complaints back to the device either.
// A complaint names a registered establishment, or an unregistered workplace to find (name, address, how to find
// it, in a district); the matters alleged are checklist keys, as at the desk.
import { uuid7 } from "./ids";
import { commit, pending } from "./outbox";
import type { ChecklistRecord, Establishment, User } from "./types";

export interface ComplaintDraft {
  summary: string;
  received_on: string; // YYYY-MM-DD
  confidential: boolean;
  matters?: string[]; // checklist keys alleged
  channel?: string;
}

/** An unregistered workplace, to find: the server requires its name and district. */
export interface Workplace {
  name: string;
  address: string;
  description: string;
  district_id: string;
}

/** How a complaint reached the inspector on the tablet (the server's `Channel`); `field`: told during a visit. */
export const CHANNELS = ["field", "walk_in", "phone", "letter", "email", "online", "referral"];
export const MATTERS_MAX = 20;

export const SUMMARY_MAX = 10_000;

/** The local date (YYYY-MM-DD) of a moment, as the tablet's clock and time zone say. */
export function localDay(at: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The rule the server applies too: a summary, no later than tomorrow (a day's grace for time zones). */
export function complaintValid(draft: ComplaintDraft, today: string = localDay(), workplace?: Workplace): boolean {
  const summary = draft.summary.trim();
  if (!summary || summary.length > SUMMARY_MAX) return false;
  if ((draft.matters ?? []).length > MATTERS_MAX) return false;
  if (workplace && !(workplace.name.trim() && workplace.district_id)) return false;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.received_on)) return false;
  const grace = new Date(`${today}T00:00:00`);
  grace.setDate(grace.getDate() + 1);
  return draft.received_on <= localDay(grace);
}

/** Queue the complaint about an establishment, or (`establishmentId` null) an unregistered workplace; its id is
 * chosen here: sending it twice creates it once. */
export async function recordComplaint(
  establishmentId: string | null,
  draft: ComplaintDraft,
  workplace?: Workplace,
): Promise<string> {
  if (establishmentId === null && !workplace) throw new Error("the complaint names no workplace");
  if (!complaintValid(draft, localDay(), establishmentId === null ? workplace : undefined)) {
    throw new Error("the complaint is not valid");
  }
  const id = uuid7();
  const where =
    establishmentId !== null
      ? { establishment_id: establishmentId }
      : {
          district_id: workplace!.district_id,
          workplace_name: workplace!.name.trim(),
          workplace_address: workplace!.address.trim(),
          workplace_description: workplace!.description.trim(),
        };
  await commit([], () => undefined, [
    {
      name: "complaint.create",
      args: {
        complaint_id: id,
        ...where,
        summary: draft.summary.trim(),
        received_on: draft.received_on,
        confidential: draft.confidential,
        matters: [...new Set(draft.matters ?? [])],
        channel: draft.channel ?? "field",
      },
    },
  ]);
  return id;
}

/** The checklist areas a complaint can allege: the newest version of each published checklist on the tablet. */
export function matterChoices(checklists: ChecklistRecord[]): ChecklistRecord[] {
  const newest = new Map<string, ChecklistRecord>();
  for (const c of checklists) if ((newest.get(c.key)?.version ?? 0) < c.version) newest.set(c.key, c);
  return [...newest.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** The district an unregistered workplace is reported in: the user's own unit that the tablet's establishments lie
 * in, else the district most of them lie in (the server checks that it is a district of the user's area). */
export function homeDistrict(user: User, establishments: Establishment[]): string | null {
  const counts = new Map<string, number>();
  for (const e of establishments) counts.set(e.district_id, (counts.get(e.district_id) ?? 0) + 1);
  const own = user.org_unit_ids.find((u) => counts.has(u));
  if (own) return own;
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return ranked[0]?.[0] ?? user.org_unit_ids[0] ?? null;
}

/** How many complaints recorded on this tablet are still waiting to be sent. */
export async function complaintsWaiting(): Promise<number> {
  return (await pending()).filter((e) => e.name === "complaint.create").length;
}

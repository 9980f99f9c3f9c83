// Accident reports on the tablet, offline: queued as `accident.report` and sent at the next sync; the server
// computes the class (Regulation on Production Safety Accidents, Art. 3). Each person is described as the 16th ICLS
// counts them — never by name.
import { uuid7 } from "./ids";
import { commit } from "./outbox";

export interface InjuredPerson {
  sex: "male" | "female";
  age_group: string;
  nature_of_injury: string;
  part_of_body: string;
  fatal: boolean;
  serious: boolean;
  days_lost: number;
}

export interface AccidentDraft {
  occurred_at: string; // local date and time, as an <input type="datetime-local"> gives it
  commuting: boolean;
  description: string;
  persons: InjuredPerson[];
}

export const AGE_GROUPS = ["under_15", "15_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus", "unknown"];
export const NATURES = ["wound", "fracture", "dislocation", "amputation", "internal", "burn", "poisoning", "multiple", "other", "unknown"];
export const BODY_PARTS = ["head", "neck", "back", "trunk", "upper_limbs", "lower_limbs", "whole_body", "other", "unknown"];

export function blankPerson(): InjuredPerson {
  return { sex: "male", age_group: "25_34", nature_of_injury: "fracture", part_of_body: "lower_limbs", fatal: false, serious: false, days_lost: 0 };
}

/** The local time with this tablet's UTC offset (the protocol wants an offset), or null when not a time. */
export function withOffset(local: string): string | null {
  const at = new Date(local);
  if (!local || Number.isNaN(at.getTime())) return null;
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const seconds = local.length === 16 ? `${local}:00` : local;
  return `${seconds}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

export function accidentValid(draft: AccidentDraft, now: Date = new Date()): boolean {
  const at = withOffset(draft.occurred_at);
  if (!at) return false;
  const when = new Date(at);
  if (when.getTime() > now.getTime() || when.getFullYear() < 1900) return false;
  return draft.persons.every((p) => Number.isInteger(p.days_lost) && p.days_lost >= 0 && p.days_lost <= 6000);
}

export async function reportAccident(establishmentId: string, draft: AccidentDraft): Promise<string> {
  const occurredAt = withOffset(draft.occurred_at);
  if (!occurredAt || !accidentValid(draft)) throw new Error("the accident report is not valid");
  const id = uuid7();
  await commit([], () => undefined, [
    {
      name: "accident.report",
      args: {
        accident_id: id,
        establishment_id: establishmentId,
        occurred_at: occurredAt,
        commuting: draft.commuting,
        description: draft.description.trim(),
        persons: draft.persons,
      },
    },
  ]);
  return id;
}

// Occupational disease cases on the tablet, offline: queued as `disease.report` and sent at the next sync (the
// server records it through the same service as the desk). The person is described as statistics count them —
// never by name; nothing of the case stays on the tablet once the server has it.
import { localDay } from "./complaints";
import { uuid7 } from "./ids";
import { commit } from "./outbox";

export interface DiseaseDraft {
  disease: string;
  exposure: string;
  exposure_years: string; // as typed: "" when not known
  diagnosed_on: string; // YYYY-MM-DD
  sex: "male" | "female" | ""; // "" until chosen: a skipped field is never counted as one
  age_group: string; // "" until chosen ("unknown" is a choice)
  occupation: string; // ISCO-08, up to 4 digits, or ""
  fatal: boolean;
}

export function blankDisease(): DiseaseDraft {
  return { disease: "", exposure: "", exposure_years: "", diagnosed_on: "", sex: "", age_group: "", occupation: "", fatal: false };
}

/** Whether the person's sex and age group are chosen (neither has a default: the statistics count them). */
export function personChosen(d: Pick<DiseaseDraft, "sex" | "age_group">): boolean {
  return d.sex !== "" && d.age_group !== "";
}

/** The server's rules: a disease and an exposure (≤ 200 characters), 0–80 years, the sex and age group chosen, an
 * ISCO code, not diagnosed after
 * today (the tablet's date; the server checks the district's). */
export function diseaseValid(d: DiseaseDraft, today: string = localDay()): boolean {
  const disease = d.disease.trim();
  const exposure = d.exposure.trim();
  if (!disease || disease.length > 200 || !exposure || exposure.length > 200) return false;
  if (d.exposure_years !== "") {
    const years = Number(d.exposure_years);
    if (!Number.isInteger(years) || years < 0 || years > 80) return false;
  }
  if (!personChosen(d)) return false;
  if (!/^([0-9]{1,4})?$/.test(d.occupation)) return false;
  return /^\d{4}-\d{2}-\d{2}$/.test(d.diagnosed_on) && d.diagnosed_on <= today;
}

export async function reportDisease(establishmentId: string, d: DiseaseDraft): Promise<string> {
  if (!diseaseValid(d)) throw new Error("the disease case is not valid");
  const id = uuid7();
  await commit([], () => undefined, [
    {
      name: "disease.report",
      args: {
        disease_id: id,
        establishment_id: establishmentId,
        disease: d.disease.trim(),
        exposure: d.exposure.trim(),
        exposure_years: d.exposure_years === "" ? null : Number(d.exposure_years),
        diagnosed_on: d.diagnosed_on,
        sex: d.sex,
        age_group: d.age_group,
        occupation: d.occupation,
        fatal: d.fatal,
      },
    },
  ]);
  return id;
}

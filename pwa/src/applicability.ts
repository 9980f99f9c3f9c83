// Port of backend/checklists/definition.py: Applicability.holds and the ISIC helpers.
import type { Applicability, ChecklistDefinition, ChecklistItem, Establishment } from "./types";

const ISIC_SECTIONS: Record<string, [number, number]> = {
  A: [1, 3], B: [5, 9], C: [10, 33], D: [35, 35], E: [36, 39], F: [41, 43], G: [45, 47], H: [49, 53],
  I: [55, 56], J: [58, 63], K: [64, 66], L: [68, 68], M: [69, 75], N: [77, 82], O: [84, 84], P: [85, 85],
  Q: [86, 88], R: [90, 93], S: [94, 96], T: [97, 98], U: [99, 99],
};

export function isicSection(code: string): string | null {
  if (code in ISIC_SECTIONS) return code;
  if (!/^\d\d/.test(code)) return null;
  const division = Number(code.slice(0, 2));
  for (const [section, [lo, hi]] of Object.entries(ISIC_SECTIONS)) {
    if (lo <= division && division <= hi) return section;
  }
  return null;
}

export function isicMatches(pattern: string, code: string): boolean {
  if (/^[A-Za-z]+$/.test(pattern)) return isicSection(code) === pattern;
  return code.startsWith(pattern);
}

export type Profile = Pick<Establishment, "isic" | "workers_total" | "workers_women" | "workers_under_18"> &
  Partial<Pick<Establishment, "uses_hazardous_chemicals" | "has_underground_work" | "union_members">>;

export function holds(rule: Applicability, profile: Profile): boolean {
  const code = profile.isic;
  if (rule.sectors?.length && !rule.sectors.some((p) => isicMatches(p, code))) return false;
  if ((rule.exclude_sectors ?? []).some((p) => isicMatches(p, code))) return false;
  if (rule.min_workers != null && profile.workers_total < rule.min_workers) return false;
  if (rule.max_workers != null && profile.workers_total > rule.max_workers) return false;
  if (rule.employs_women != null && profile.workers_women > 0 !== rule.employs_women) return false;
  if (rule.employs_under_18 != null && profile.workers_under_18 > 0 !== rule.employs_under_18) return false;
  if (rule.uses_hazardous_chemicals != null && (profile.uses_hazardous_chemicals ?? false) !== rule.uses_hazardous_chemicals)
    return false;
  if (rule.underground != null && (profile.has_underground_work ?? false) !== rule.underground) return false;
  return rule.min_union_members == null || (profile.union_members ?? 0) >= rule.min_union_members;
}

export function checklistApplies(checklist: ChecklistDefinition, profile: Profile): boolean {
  return !checklist.applies_if || holds(checklist.applies_if, profile);
}

export function itemApplies(item: ChecklistItem, profile: Profile): boolean {
  return !item.applies_if || holds(item.applies_if, profile);
}

// The submission rule, the same on the device as on the server (backend/inspections/review.py,
// missing_for_submit): an applicable item with no answer, or a non-compliance without its required photo,
// keeps an inspection from being submitted. tests/vectors/submit_rule.json holds the cases both sides run.
import { itemApplies, type Profile } from "./applicability";
import type { ChecklistItem, FindingStatus } from "./types";

export type MissingReason = "no_answer" | "evidence_required";

export interface Missing {
  item_id: string;
  reason: MissingReason;
}

/**
 * `answers` maps an item id to its recorded status (absent: no answer); `evidence` maps an item id to the
 * hashes of the photos that document it. As on the server, an answered item is checked for evidence even when
 * the profile no longer makes it applicable. Without a profile (the establishment not on this device) every
 * item applies.
 */
export function missingForSubmit(
  items: Pick<ChecklistItem, "id" | "evidence_required" | "applies_if">[],
  profile: Profile | null,
  answers: Record<string, FindingStatus | undefined>,
  evidence: Record<string, string[] | undefined>,
): Missing[] {
  const missing: Missing[] = [];
  for (const item of items) {
    const status = answers[item.id];
    if (!status) {
      if (!profile || itemApplies(item, profile)) missing.push({ item_id: item.id, reason: "no_answer" });
    } else if (status === "non_compliant" && item.evidence_required && !(evidence[item.id] ?? []).length) {
      missing.push({ item_id: item.id, reason: "evidence_required" });
    }
  }
  return missing;
}

// Tabs between the parts of one inspection, the lock notice once it is submitted, and the supervisor's review.
import { t } from "../i18n";
import type { Inspection } from "../types";

export function InspectionNav({ inspection, current }: { inspection: Inspection; current: string }) {
  const tabs = [
    ["", "insp.checklist"],
    ["interviews", "insp.interviews"],
    ["measures", "insp.measures"],
    ["review", "insp.review"],
    ["print", "insp.print"], // per inspection (issue 19): the printable copy, offline
  ];
  return (
    <>
      <nav class="tabs" aria-label={t("insp.parts")}>
        {tabs.map(([path, key]) => (
          <a
            key={key}
            href={`#/inspections/${inspection.id}${path ? "/" + path : ""}`}
            aria-current={current === path ? "page" : undefined}
          >
            {t(key)}
          </a>
        ))}
      </nav>
      {inspection.review?.decision === "return" && inspection.status === "draft" ? (
        <p class="banner warn" role="status" data-testid="review-comment">
          <strong>{t("review.returned")}</strong> {inspection.review.comment}
        </p>
      ) : null}
      {inspection.review?.decision === "approve" && inspection.status === "submitted" ? (
        <p class="banner ok" role="status" data-testid="approved">
          {t("review.approved")} {inspection.review.comment}
        </p>
      ) : inspection.status !== "draft" ? (
        <p class="banner info" role="status" data-testid="locked">
          {t(`locked.${inspection.status}`)}
        </p>
      ) : null}
    </>
  );
}

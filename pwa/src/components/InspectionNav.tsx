// Tabs between the parts of one inspection, and the lock notice once it is submitted.
import { t } from "../i18n";
import type { Inspection } from "../types";

export function InspectionNav({ inspection, current }: { inspection: Inspection; current: string }) {
  const tabs = [
    ["", "insp.checklist"],
    ["interviews", "insp.interviews"],
    ["measures", "insp.measures"],
    ["review", "insp.review"],
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
      {inspection.status !== "draft" ? (
        <p class="banner info" role="status" data-testid="locked">
          {t(`locked.${inspection.status}`)}
        </p>
      ) : null}
    </>
  );
}

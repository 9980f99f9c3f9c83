// The measures the checklist proposes for the visit's non-compliant items (the item's usual measure and deadline,
// served with the checklist as `offered_measure`): the inspector accepts one as proposed, or changes the measure
// or its date first. Works offline: accepting records the measure through the outbox like any other.
import { useState } from "preact/hooks";
import { getOne, byIndex } from "../db";
import { useLive } from "../hooks";
import { t, tx } from "../i18n";
import { recordAction } from "../records";
import { plusDays } from "../today";
import type { Action, ChecklistItem, ChecklistRecord, Finding, Inspection } from "../types";

export const TABLET_MEASURES: Action["measure"][] = ["advice", "warning", "order_to_rectify", "stop_work", "referral"];
const DATED = new Set<Action["measure"]>(["order_to_rectify", "stop_work"]);

function proposedOf(item: ChecklistItem, today: string): { measure: Action["measure"]; deadline: string } {
  const offered = item.offered_measure ?? item.measure;
  const measure = (TABLET_MEASURES as string[]).includes(offered.type) ? (offered.type as Action["measure"]) : "order_to_rectify";
  const days = offered.deadline_days ?? (DATED.has(measure) ? 30 : null);
  return { measure, deadline: days != null ? plusDays(today, days) : "" };
}

function Proposal({ inspection, item, today }: { inspection: Inspection; item: ChecklistItem; today: string }) {
  const proposed = proposedOf(item, today);
  const [measure, setMeasure] = useState(proposed.measure);
  const [deadline, setDeadline] = useState(proposed.deadline);
  const dated = DATED.has(measure);
  const accept = async (e: Event) => {
    e.preventDefault();
    await recordAction(inspection, { item_id: item.id, measure, deadline: dated ? deadline : null, text: "" });
  };
  const name = `proposed-${item.id}`;
  return (
    <form class="card stack" onSubmit={accept} data-testid="proposed-measure" data-item={item.id}>
      <h3>{tx(item.text)}</h3>
      <p data-testid="proposed-usual">
        {t("measure.proposed")}: {t(`measure.${proposed.measure}`)}
        {proposed.deadline ? ` · ${t("measure.by", { date: proposed.deadline })}` : ""}
      </p>
      <fieldset>
        <legend>{t("measure.kind")}</legend>
        <div class="choices">
          {TABLET_MEASURES.map((m) => (
            <label key={m} class={`choice ${measure === m ? "on" : ""}`}>
              <input type="radio" name={name} checked={measure === m} onChange={() => setMeasure(m)} />
              {t(`measure.${m}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {dated ? (
        <label>
          {t("measure.deadline")}
          <input type="date" required value={deadline} min={today} onInput={(e) => setDeadline(e.currentTarget.value)} data-testid="proposed-deadline" />
        </label>
      ) : null}
      <button class="btn primary" type="submit" data-testid="proposed-accept">
        {t("measure.accept")}
      </button>
    </form>
  );
}

/** The proposals for non-compliant items that have no measure yet; `today` is the establishment's date. */
export function ProposedMeasures({ inspection, actions, today }: { inspection: Inspection; actions: Action[]; today: string }) {
  const data = useLive(async () => {
    const [checklist, findings] = await Promise.all([
      getOne<ChecklistRecord>("checklists", inspection.checklist),
      byIndex<Finding>("findings", "inspection", inspection.id),
    ]);
    return { checklist, findings };
  }, [inspection.id]);
  if (!data?.checklist) return null;
  const failing = new Set(data.findings.filter((f) => f.fields.status === "non_compliant").map((f) => f.item_id));
  const covered = new Set(actions.map((a) => a.item_id));
  const items = data.checklist.definition.sections.flatMap((s) => s.items).filter((i) => failing.has(i.id) && !covered.has(i.id));
  if (!items.length) return null;
  return (
    <section class="stack" aria-labelledby="proposed-title">
      <h2 id="proposed-title">{t("measure.proposed_title")}</h2>
      {items.map((item) => (
        <Proposal key={item.id} inspection={inspection} item={item} today={today} />
      ))}
    </section>
  );
}

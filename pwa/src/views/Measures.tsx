// Measures decided on site: advice, an order to rectify by a date, or a stop-work order; first, the checklist's
// proposals for the non-compliant items (ProposedMeasures).
import { useState } from "preact/hooks";
import { InspectionNav } from "../components/InspectionNav";
import { byIndex, getOne } from "../db";
import { useLive } from "../hooks";
import { t } from "../i18n";
import { recordAction } from "../records";
import { plusDays, todayAt } from "../today";
import type { Action, Establishment, Inspection } from "../types";
import { NOTICE_MEASURES } from "../notices";
import { FollowUpChecks } from "./FollowUpChecks";
import { NoticeActions, NoticeBlockStatus } from "./NoticeActions";
import { ProposedMeasures } from "./ProposedMeasures";

const MEASURES: Action["measure"][] = ["advice", "order_to_rectify", "stop_work"];

export function Measures({ id }: { id: string }) {
  const data = useLive(async () => {
    const [inspection, actions] = await Promise.all([
      getOne<Inspection>("inspections", id),
      byIndex<Action>("actions", "inspection", id),
    ]);
    const establishment = inspection ? await getOne<Establishment>("establishments", inspection.establishment_id) : undefined;
    return { inspection, actions, establishment };
  }, [id]);
  const [measure, setMeasure] = useState<Action["measure"]>("advice");
  const [deadline, setDeadline] = useState("");
  const [text, setText] = useState("");
  if (!data?.inspection) return <p>{t("common.loading")}</p>;
  const inspection = data.inspection;
  const today = todayAt(data.establishment); // the establishment's date, in its time zone
  // Deadlines are days after the visit (at most 365), as the server counts them.
  const latest = plusDays(typeof inspection.header.visit_date === "string" && inspection.header.visit_date ? inspection.header.visit_date : today, 365);
  const unit = data.establishment?.district_id; // notices are numbered per district
  const needsDate = measure === "order_to_rectify";
  const add = async (e: Event) => {
    e.preventDefault();
    await recordAction(inspection, { item_id: null, measure, deadline: needsDate ? deadline : null, text: text.trim() });
    setText("");
    setDeadline("");
  };
  return (
    <div class="stack">
      <h1>{t("insp.measures")}</h1>
      <InspectionNav inspection={inspection} current="measures" />
      <FollowUpChecks inspection={inspection} />
      <ProposedMeasures inspection={inspection} actions={data.actions} today={today} />
      {unit && data.actions.some((a) => NOTICE_MEASURES.has(a.measure)) ? <NoticeBlockStatus unitId={unit} year={Number(today.slice(0, 4))} /> : null}
      <ul class="list">
        {data.actions.map((a) => (
          <li key={a.id} class="card stack" data-testid="measure" data-action={a.id}>
            <p>
              <strong>{t(`measure.${a.measure}`)}</strong>
              {a.deadline ? ` · ${t("measure.by", { date: a.deadline })}` : ""}
            </p>
            {a.text ? <p>{a.text}</p> : null}
            {unit ? <NoticeActions action={a} unitId={unit} year={Number(today.slice(0, 4))} /> : null}
          </li>
        ))}
      </ul>
      <form class="card" onSubmit={add} data-testid="measure-form">
        <fieldset>
          <legend>{t("measure.kind")}</legend>
          <div class="choices">
            {MEASURES.map((m) => (
              <label key={m} class={`choice ${measure === m ? "on" : ""}`}>
                <input type="radio" name="measure" checked={measure === m} onChange={() => setMeasure(m)} />
                {t(`measure.${m}`)}
              </label>
            ))}
          </div>
        </fieldset>
        {needsDate ? (
          <label>
            {t("measure.deadline")}
            <input type="date" required value={deadline} min={today} max={latest} onInput={(e) => setDeadline(e.currentTarget.value)} />
          </label>
        ) : null}
        <label>
          {t("measure.text")}
          <textarea rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button class="btn primary" type="submit">
          {t("measure.add")}
        </button>
      </form>
    </div>
  );
}

// Worker interviews: counts and anonymous notes only — never names.
import { useState } from "preact/hooks";
import { InspectionNav } from "../components/InspectionNav";
import { getOne } from "../db";
import { useLive } from "../hooks";
import { formatTime, t } from "../i18n";
import { addInterview, interviewValid } from "../records";
import type { Inspection } from "../types";

export function Interviews({ id }: { id: string }) {
  const inspection = useLive(() => getOne<Inspection>("inspections", id), [id]);
  const [men, setMen] = useState(0);
  const [women, setWomen] = useState(0);
  const [young, setYoung] = useState(0);
  const [note, setNote] = useState("");
  if (!inspection) return <p>{t("common.loading")}</p>;
  const locked = inspection.status !== "draft";
  const add = async (e: Event) => {
    e.preventDefault();
    await addInterview(inspection, { men, women, under_18: young, note: note.trim() });
    setMen(0);
    setWomen(0);
    setYoung(0);
    setNote("");
  };
  const num = (label: string, value: number, set: (n: number) => void) => (
    <label class="num">
      {label}
      <input type="number" min={0} value={value} onInput={(e) => set(Math.max(0, Number(e.currentTarget.value) || 0))} />
    </label>
  );
  return (
    <div class="stack">
      <h1>{t("insp.interviews")}</h1>
      <InspectionNav inspection={inspection} current="interviews" />
      <p class="muted">{t("interview.privacy")}</p>
      <ul class="list">
        {(inspection.interviews ?? []).map((i) => (
          <li key={i.id} class="card">
            {t("interview.summary", { men: i.men, women: i.women, young: i.under_18 })} · {formatTime(i.at)}
            {i.note ? <p>{i.note}</p> : null}
          </li>
        ))}
      </ul>
      {!locked ? (
        <form class="card" onSubmit={add}>
          <fieldset class="workers">
            <legend>{t("interview.count")}</legend>
            {num(t("workers.men"), men, setMen)}
            {num(t("workers.women"), women, setWomen)}
            {num(t("workers.under_18"), young, setYoung)}
          </fieldset>
          <label>
            {t("interview.note")}
            <textarea rows={3} maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <button class="btn primary" type="submit" disabled={!interviewValid({ men, women, under_18: young, note: note.trim() })}>
            {t("interview.add")}
          </button>
        </form>
      ) : null}
    </div>
  );
}

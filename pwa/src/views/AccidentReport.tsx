// Reporting an accident at an establishment on the tablet, offline (sent at the next sync; the office sees its
// class). Each person injured is described without a name.
import { useState } from "preact/hooks";
import { AGE_GROUPS, BODY_PARTS, NATURES, accidentValid, blankPerson, reportAccident, type InjuredPerson } from "../accidents";
import { t } from "../i18n";

function choose(value: string, options: string[], prefix: string, set: (v: string) => void, testid?: string) {
  return (
    <select value={value} onChange={(e) => set(e.currentTarget.value)} data-testid={testid}>
      {options.map((o) => (
        <option key={o} value={o}>
          {t(`${prefix}.${o}`)}
        </option>
      ))}
    </select>
  );
}

export function AccidentReport({ establishmentId }: { establishmentId: string }) {
  const [occurred, setOccurred] = useState("");
  const [commuting, setCommuting] = useState(false);
  const [description, setDescription] = useState("");
  const [persons, setPersons] = useState<InjuredPerson[]>([blankPerson()]);
  const [saved, setSaved] = useState(false);
  const draft = { occurred_at: occurred, commuting, description, persons };
  const edit = (i: number, change: Partial<InjuredPerson>) => {
    setPersons(persons.map((p, j) => (j === i ? { ...p, ...change } : p)));
    setSaved(false);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    await reportAccident(establishmentId, draft);
    setSaved(true);
    setDescription("");
    setPersons([blankPerson()]);
  };
  return (
    <div class="stack">
      <h1>{t("accident.title")}</h1>
      <p class="muted">{t("accident.no_names")}</p>
      {saved ? <p class="card" data-testid="accident-queued">{t("accident.queued")}</p> : null}
      <form class="card stack" onSubmit={save}>
        <label>
          {t("desk.occurred_at")}
          <input type="datetime-local" value={occurred} onInput={(e) => setOccurred(e.currentTarget.value)} data-testid="accident-when" />
        </label>
        <label class="check">
          <input type="checkbox" checked={commuting} onChange={(e) => setCommuting(e.currentTarget.checked)} />
          {t("desk.commuting")}
        </label>
        <label>
          {t("accident.description")}
          <textarea rows={3} maxLength={10000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
        {persons.map((p, i) => (
          <fieldset key={i} class="stack" data-testid="person">
            <legend>{t("desk.person", { n: i + 1 })}</legend>
            {choose(p.sex, ["male", "female"], "desk.sex", (v) => edit(i, { sex: v as InjuredPerson["sex"] }))}
            {choose(p.age_group, AGE_GROUPS, "desk.age", (v) => edit(i, { age_group: v }))}
            {choose(p.nature_of_injury, NATURES, "desk.nature", (v) => edit(i, { nature_of_injury: v }))}
            {choose(p.part_of_body, BODY_PARTS, "desk.part", (v) => edit(i, { part_of_body: v }))}
            <label class="check">
              <input type="checkbox" checked={p.fatal} onChange={(e) => edit(i, { fatal: e.currentTarget.checked })} data-testid="fatal" />
              {t("desk.fatal")}
            </label>
            <label class="check">
              <input type="checkbox" checked={p.serious} onChange={(e) => edit(i, { serious: e.currentTarget.checked })} />
              {t("desk.serious")}
            </label>
            <label class="num">
              {t("desk.days_lost")}
              <input type="number" min={0} max={6000} value={p.days_lost} onInput={(e) => edit(i, { days_lost: Math.min(6000, Math.max(0, Math.floor(Number(e.currentTarget.value) || 0))) })} />
            </label>
          </fieldset>
        ))}
        <button class="btn" type="button" onClick={() => setPersons([...persons, blankPerson()])}>
          {t("desk.add_person")}
        </button>
        <button class="btn primary" type="submit" disabled={!accidentValid(draft)} data-testid="accident-save">
          {t("accident.save")}
        </button>
      </form>
      <a class="btn" href={`#/establishments/${establishmentId}`}>
        {t("complaint.back")}
      </a>
    </div>
  );
}

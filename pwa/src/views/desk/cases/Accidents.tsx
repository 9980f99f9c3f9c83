// Accidents at the desk: a notification with each person injured (16th ICLS fields), its class computed by the
// server (Regulation Art. 3), and the investigation opened as an inspection for an inspector's tablet.
import { useEffect, useState } from "preact/hooks";
import { currentLang, t } from "../../../i18n";
import { Act } from "./Act";
import type { Desk, Named } from "./deskapi";

interface Person {
  sex: string;
  age_group: string;
  nature_of_injury: string;
  part_of_body: string;
  fatal: boolean;
  serious: boolean;
  days_lost: number;
}
interface Accident {
  id: string;
  establishment_id: string;
  occurred_at: string;
  commuting: boolean;
  deaths: number;
  serious_injuries: number;
  direct_loss_yuan: number;
  accident_class: string | null;
  class_label: { en: string; zh: string } | null;
  investigation_id: string | null;
}
interface Checklist {
  key: string;
  version: number;
}
const AGES = ["under_15", "15_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus", "unknown"];
const NATURES = ["wound", "fracture", "dislocation", "amputation", "internal", "burn", "poisoning", "multiple", "other", "unknown"];
const PARTS = ["head", "neck", "back", "trunk", "upper_limbs", "lower_limbs", "whole_body", "other", "unknown"];
const blank = (): Person => ({ sex: "male", age_group: "25_34", nature_of_injury: "fracture", part_of_body: "lower_limbs", fatal: false, serious: false, days_lost: 0 });

function choose(value: string, options: string[], prefix: string, set: (v: string) => void) {
  return (
    <select value={value} onChange={(e) => set(e.currentTarget.value)}>
      {options.map((o) => (
        <option key={o} value={o}>
          {t(`${prefix}.${o}`)}
        </option>
      ))}
    </select>
  );
}

function Notify({ desk, establishments, done }: { desk: Desk; establishments: Named[]; done: () => void }) {
  const [establishment, setEstablishment] = useState("");
  const [occurred, setOccurred] = useState("");
  const [commuting, setCommuting] = useState(false);
  const [loss, setLoss] = useState(0);
  const [persons, setPersons] = useState<Person[]>([blank()]);
  const edit = (i: number, change: Partial<Person>) => setPersons(persons.map((p, j) => (j === i ? { ...p, ...change } : p)));
  const run = () =>
    desk.post("/accidents", {
      establishment_id: establishment,
      occurred_at: new Date(occurred).toISOString(),
      commuting,
      direct_loss_yuan: loss,
      persons,
    });
  return (
    <section class="card stack">
      <h2>{t("desk.notify")}</h2>
      <select value={establishment} onChange={(e) => setEstablishment(e.currentTarget.value)} data-testid="accident-establishment">
        <option value="">—</option>
        {establishments.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name}
          </option>
        ))}
      </select>
      <label>
        {t("desk.occurred_at")}
        <input type="datetime-local" value={occurred} onInput={(e) => setOccurred(e.currentTarget.value)} data-testid="accident-when" />
      </label>
      <label class="check">
        <input type="checkbox" checked={commuting} onChange={(e) => setCommuting(e.currentTarget.checked)} />
        {t("desk.commuting")}
      </label>
      <label>
        {t("desk.loss")}
        <input type="number" min={0} value={loss} onInput={(e) => setLoss(Math.max(0, Number(e.currentTarget.value) || 0))} />
      </label>
      {persons.map((p, i) => (
        <fieldset key={i} class="row" data-testid="person">
          <legend>{t("desk.person", { n: i + 1 })}</legend>
          {choose(p.sex, ["male", "female"], "desk.sex", (v) => edit(i, { sex: v }))}
          {choose(p.age_group, AGES, "desk.age", (v) => edit(i, { age_group: v }))}
          {choose(p.nature_of_injury, NATURES, "desk.nature", (v) => edit(i, { nature_of_injury: v }))}
          {choose(p.part_of_body, PARTS, "desk.part", (v) => edit(i, { part_of_body: v }))}
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
            <input type="number" min={0} max={6000} value={p.days_lost} onInput={(e) => edit(i, { days_lost: Math.max(0, Number(e.currentTarget.value) || 0) })} />
          </label>
        </fieldset>
      ))}
      <button class="btn" type="button" onClick={() => setPersons([...persons, blank()])} data-testid="add-person">
        {t("desk.add_person")}
      </button>
      <Act label={t("desk.record")} run={run} done={done} testid="accident-save" disabled={!establishment || !occurred} />
    </section>
  );
}

export function Accidents({ desk }: { desk: Desk }) {
  const [version, setVersion] = useState(0);
  const [data, setData] = useState<{ accidents: Accident[]; establishments: Named[]; inspectors: Named[]; checklists: Checklist[] } | null>(null);
  const [lead, setLead] = useState("");
  const reload = () => setVersion((v) => v + 1);
  useEffect(() => {
    void Promise.all([
      desk.get<Accident[]>("/accidents"),
      desk.get<{ items: Named[] }>("/establishments?limit=500"),
      desk.get<(Named & { role: string })[]>("/users/colleagues"),
      desk.get<Checklist[]>("/checklists"),
    ]).then(([accidents, establishments, colleagues, checklists]) => {
      const inspectors = colleagues.filter((c) => c.role === "inspector");
      setData({ accidents, establishments: establishments.items, inspectors, checklists });
      setLead((l) => l || inspectors[0]?.id || "");
    });
  }, [version]);
  if (!data) return <p>{t("common.loading")}</p>;
  const names = new Map(data.establishments.map((e) => [e.id, e.name]));
  const osh = data.checklists.find((c) => c.key === "osh-management") ?? data.checklists[0];
  return (
    <div class="stack">
      <h1>{t("desk.accidents")}</h1>
      <Notify desk={desk} establishments={data.establishments} done={reload} />
      <ul class="list">
        {data.accidents.map((a) => (
          <li key={a.id} class="card stack" data-testid="accident">
            <div class="row spread">
              <strong>{names.get(a.establishment_id) ?? a.establishment_id}</strong>
              <span data-testid="accident-class">{a.class_label ? a.class_label[currentLang()] : t("desk.commuting")}</span>
            </div>
            <p class="muted">
              {new Date(a.occurred_at).toLocaleString()} · {t("desk.casualties", { deaths: a.deaths, serious: a.serious_injuries })}
            </p>
            {a.investigation_id ? (
              <p data-testid="investigation-open">{t("desk.investigation_open")}</p>
            ) : (
              <Act
                label={t("desk.investigate")}
                testid="investigate"
                done={reload}
                disabled={!lead || !osh}
                run={() => desk.post(`/accidents/${a.id}/investigation`, { lead_inspector_id: lead, checklists: [{ key: osh.key, version: osh.version }] })}
              >
                <select value={lead} onChange={(e) => setLead(e.currentTarget.value)}>
                  {data.inspectors.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
              </Act>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

// Campaigns at the desk: one checklist over a target list of establishments, each target assigned as an inspection
// (type campaign, on the lead's tablet at the next sync), and the campaign's progress.
import { useEffect, useState } from "preact/hooks";
import { t, tx } from "../../../i18n";
import { Act } from "./Act";
import { type Desk, type Named, nextMonth } from "./deskapi";

interface Checklist {
  key: string;
  version: number;
  title: { en: string; zh: string };
}
interface Target {
  establishment_id: string;
  inspection_id: string | null;
  status: string;
}
interface Campaign {
  id: string;
  name: string;
  checklist_key: string;
  period_start: string;
  period_end: string;
  targets: Target[];
  progress: { targets: number; assigned: number; started: number; submitted: number; approved: number };
}

export function Campaigns({ desk }: { desk: Desk }) {
  const [version, setVersion] = useState(0);
  const [data, setData] = useState<{ campaigns: Campaign[]; establishments: Named[]; checklists: Checklist[]; inspectors: Named[] } | null>(null);
  const [name, setName] = useState("");
  const [checklist, setChecklist] = useState("");
  const [targets, setTargets] = useState<string[]>([]);
  const [lead, setLead] = useState("");
  const reload = () => setVersion((v) => v + 1);
  useEffect(() => {
    void Promise.all([
      desk.get<Campaign[]>("/campaigns"),
      desk.get<{ items: Named[] }>("/establishments?limit=500"),
      desk.get<Checklist[]>("/checklists"),
      desk.get<(Named & { role: string })[]>("/users/colleagues"),
    ]).then(([campaigns, establishments, checklists, colleagues]) => {
      const inspectors = colleagues.filter((c) => c.role === "inspector");
      setData({ campaigns, establishments: establishments.items, checklists, inspectors });
      setChecklist((c) => c || checklists[0]?.key || "");
      setLead((l) => l || inspectors[0]?.id || "");
    });
  }, [version]);
  if (!data) return <p>{t("common.loading")}</p>;
  const names = new Map(data.establishments.map((e) => [e.id, e.name]));
  const chosen = data.checklists.find((c) => c.key === checklist);
  const [start, end] = nextMonth();
  return (
    <div class="stack">
      <h1>{t("desk.campaigns")}</h1>
      <section class="card stack">
        <h2>{t("desk.new_campaign")}</h2>
        <label>
          {t("desk.campaign_name")}
          <input value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} data-testid="campaign-name" />
        </label>
        <select value={checklist} onChange={(e) => setChecklist(e.currentTarget.value)} data-testid="campaign-checklist">
          {data.checklists.map((c) => (
            <option key={c.key} value={c.key}>
              {tx(c.title)}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>{t("desk.targets")}</legend>
          {data.establishments.map((e) => (
            <label key={e.id} class="check">
              <input
                type="checkbox"
                checked={targets.includes(e.id)}
                data-testid="campaign-target"
                onChange={(ev) => setTargets(ev.currentTarget.checked ? [...targets, e.id] : targets.filter((x) => x !== e.id))}
              />
              {e.name}
            </label>
          ))}
        </fieldset>
        <Act
          label={t("desk.record")}
          testid="campaign-save"
          disabled={!name.trim() || !chosen || targets.length === 0}
          done={() => {
            setName("");
            setTargets([]);
            reload();
          }}
          run={() =>
            desk.post("/campaigns", {
              name,
              checklist_key: chosen?.key,
              checklist_version: chosen?.version,
              period_start: start,
              period_end: end,
              establishment_ids: targets,
            })
          }
        />
      </section>
      <select value={lead} onChange={(e) => setLead(e.currentTarget.value)} data-testid="campaign-lead">
        {data.inspectors.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
      <ul class="list">
        {data.campaigns.map((c) => (
          <li key={c.id} class="card stack" data-testid="campaign">
            <div class="row spread">
              <strong>{c.name}</strong>
              <span data-testid="campaign-progress">{t("desk.progress", c.progress)}</span>
            </div>
            <ul class="list">
              {c.targets.map((target) => (
                <li key={target.establishment_id} class="row spread">
                  <span>{names.get(target.establishment_id) ?? target.establishment_id}</span>
                  {target.inspection_id ? (
                    <span>{t(`desk.target.${target.status}`)}</span>
                  ) : (
                    <Act
                      label={t("desk.assign")}
                      testid="assign-target"
                      disabled={!lead}
                      done={reload}
                      run={() => desk.post(`/campaigns/${c.id}/targets/${target.establishment_id}/assign`, { lead_inspector_id: lead })}
                    />
                  )}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}

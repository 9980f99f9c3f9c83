// The risk-based plan at the desk: a district's establishments ranked with each score's components, next month's
// plan built from the ranking, and its visits assigned (on the inspector's tablet at the next sync).
import { useEffect, useState } from "preact/hooks";
import { currentLang, t, tx } from "../../../i18n";
import type { Text } from "../../../types";
import { Act } from "./Act";
import { type Desk, type Named, nextMonth } from "./deskapi";

interface Component {
  name: string;
  label: Text; // the component's name
  rule: Text; // how its points are computed
  basis: Text; // what this score's points were computed from
  points: number;
  weight: number;
  contribution: number;
}
interface Ranked {
  rank: number;
  establishment_id: string;
  name: string;
  score: number;
  components: Component[];
}
interface Visit {
  id: string;
  rank: number;
  establishment_id: string;
  score: number;
  inspection_id: string | null;
}
interface PlanT {
  id: string;
  name: string;
  period_start: string;
  period_end: string;
  visits: Visit[];
}
interface Unit {
  id: string;
  level: string;
  name_en: string;
  name_zh: string;
}
interface Checklist {
  key: string;
  version: number;
}

export function Plan({ desk }: { desk: Desk }) {
  const [units, setUnits] = useState<Unit[]>([]);
  const [district, setDistrict] = useState("");
  const [ranking, setRanking] = useState<Ranked[] | null>(null);
  const [plan, setPlan] = useState<PlanT | null>(null);
  const [inspectors, setInspectors] = useState<Named[]>([]);
  const [checklists, setChecklists] = useState<Checklist[]>([]);
  const [lead, setLead] = useState("");
  const [size, setSize] = useState(10);
  useEffect(() => {
    void Promise.all([
      desk.get<Unit[]>("/org-units"),
      desk.get<(Named & { role: string })[]>("/users/colleagues"),
      desk.get<Checklist[]>("/checklists"),
    ]).then(([u, colleagues, lists]) => {
      const districts = u.filter((x) => x.level === "district");
      setUnits(districts);
      setDistrict(districts[0]?.id ?? "");
      const found = colleagues.filter((c) => c.role === "inspector");
      setInspectors(found);
      setLead(found[0]?.id ?? "");
      setChecklists(lists);
    });
  }, []);
  useEffect(() => {
    if (district) void desk.get<Ranked[]>(`/planning/risk?district_id=${district}`).then(setRanking);
  }, [district]);
  const [start, end] = nextMonth();
  const general = checklists.find((c) => c.key === "general-administration") ?? checklists[0];
  const names = new Map((ranking ?? []).map((r) => [r.establishment_id, r.name]));
  const refresh = async () => plan && setPlan(await desk.get<PlanT>(`/plans/${plan.id}`));
  return (
    <div class="stack">
      <h1>{t("desk.plan")}</h1>
      <select value={district} onChange={(e) => setDistrict(e.currentTarget.value)} data-testid="plan-district">
        {units.map((u) => (
          <option key={u.id} value={u.id}>
            {currentLang() === "zh" ? u.name_zh : u.name_en}
          </option>
        ))}
      </select>
      <table class="card" data-testid="ranking">
        <thead>
          <tr>
            <th>#</th>
            <th>{t("desk.establishment")}</th>
            <th>{t("desk.score")}</th>
            <th>{t("desk.components")}</th>
          </tr>
        </thead>
        <tbody>
          {(ranking ?? []).map((r) => (
            <tr key={r.establishment_id} data-testid="ranked">
              <td>{r.rank}</td>
              <td>{r.name}</td>
              <td>{r.score.toFixed(2)}</td>
              <td class="muted">
                {r.components
                  .filter((c) => c.contribution)
                  .map((c) => `${tx(c.label)} ${c.contribution.toFixed(2)} (${tx(c.basis)})`)
                  .join("; ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {ranking?.length ? (
        <details class="card" data-testid="score-rules">
          <summary>{t("desk.score_rules")}</summary>
          <dl>
            {ranking[0].components.map((c) => (
              <div key={c.name}>
                <dt>
                  {tx(c.label)} · {t("desk.weight", { w: c.weight })}
                </dt>
                <dd>{tx(c.rule)}</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
      <Act
        label={t("desk.build_plan", { start, end })}
        testid="build-plan"
        disabled={!district}
        done={() => undefined}
        run={async () => setPlan(await desk.post<PlanT>("/plans", { district_id: district, name: `${start} – ${end}`, period_start: start, period_end: end, visits: size }))}
      >
        <label class="num">
          {t("desk.visits")}
          <input type="number" min={1} max={1000} value={size} onInput={(e) => setSize(Math.min(1000, Math.max(1, Number(e.currentTarget.value) || 1)))} />
        </label>
      </Act>
      {plan ? (
        <section class="card stack" data-testid="plan">
          <h2>{plan.name}</h2>
          <select value={lead} onChange={(e) => setLead(e.currentTarget.value)} data-testid="plan-lead">
            {inspectors.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
          <ul class="list">
            {plan.visits.map((v) => (
              <li key={v.id} class="row spread" data-testid="visit">
                <span>
                  {v.rank}. {names.get(v.establishment_id) ?? v.establishment_id} · {v.score.toFixed(2)}
                </span>
                {v.inspection_id ? (
                  <span data-testid="visit-assigned">{t("desk.assigned")}</span>
                ) : (
                  <Act
                    label={t("desk.assign")}
                    testid="assign-visit"
                    disabled={!lead || !general}
                    done={() => void refresh()}
                    run={() => desk.post(`/plans/${plan.id}/visits/${v.id}/assign`, { lead_inspector_id: lead, checklists: [{ key: general.key, version: general.version }] })}
                  />
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

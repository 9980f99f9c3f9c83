// An establishment's compliance history at the desk (#/desk/establishment/<id>): its visits with their compliance
// rate (each linking to the inspection), one timeline of visits, violations (repeats marked), measures, penalties
// and appeals, and its supply-chain relations with the liabilities they bring. Read only, from
// GET /establishments/{id}/compliance.
import { useEffect, useState } from "preact/hooks";
import { call, problem } from "./deskapi";
import { d } from "./strings";

interface Visit {
  inspection_id: string;
  type: string;
  visit_date: string | null;
  status: string;
  compliant: number;
  non_compliant: number;
  compliance_rate: number | null;
}
interface Entry {
  on: string | null;
  kind: string;
  id: string;
  summary: Record<string, unknown>;
}
interface Relation {
  id: string;
  kind: string;
  role: string;
  other_id: string;
  other_name: string;
  project: string;
}
interface History {
  establishment_id: string;
  visits: Visit[];
  repeat_violations: number;
  timeline: Entry[];
  relations: Relation[];
}

const rate = (r: number | null) => (r == null ? "—" : `${Math.round(r * 100)} %`);

function what(e: Entry): string {
  const s = e.summary;
  if (e.kind === "visit") return `${d(`type.${String(s.type)}`)} · ${d("tl.rate")}: ${rate(s.compliance_rate as number | null)}`;
  if (e.kind === "violation")
    return `${String(s.item_id)} · ${d(`sev.${String(s.severity)}`)}${s.repeat ? ` · ${d("el.repeat_yes")}` : ""} · ${d(`el.violation.${String(s.status)}`)}`;
  if (e.kind === "measure") {
    const money = s.penalty_minor != null ? ` · ${(Number(s.penalty_minor) / 100).toFixed(2)} ${String(s.currency ?? "")} ${String(s.decision_number ?? "")}` : "";
    return `${d(`enf.measure.${String(s.measure)}`)} · ${d(`enf.status.${String(s.status)}`)}${s.deadline ? ` · ${d("enf.deadline")}: ${String(s.deadline)}` : ""}${money}`;
  }
  if (e.kind === "appeal") return `${d(`enf.appeal.${String(s.kind)}`)} · ${d(`enf.appeal_status.${String(s.status)}`)}`;
  return e.kind;
}

export function EstablishmentTimeline({ id }: { id: string }) {
  const [name, setName] = useState("");
  const [history, setHistory] = useState<History | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call<{ name: string }>(`/establishments/${id}`).then((e) => setName(e.name), () => setName(""));
    call<History>(`/establishments/${id}/compliance`).then(setHistory, (e) => setError(problem(e)));
  }, [id]);
  if (error) return <p class="err-msg" role="alert">{error}</p>;
  if (!history) return <p>{d("common.loading")}</p>;
  return (
    <div class="stack" data-testid="establishment-timeline">
      <h1>{d("tl.title", { name })}</h1>
      <p>{d("tl.repeats", { n: history.repeat_violations })}</p>
      <div class="pair">
        <section aria-labelledby="tl-visits">
          <h2 id="tl-visits">{d("tl.visits")}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{d("q.visit")}</th>
                <th scope="col">{d("q.type")}</th>
                <th scope="col" class="num">{d("tl.rate")}</th>
                <th scope="col" class="num">{d("q.ncs")}</th>
              </tr>
            </thead>
            <tbody>
              {history.visits.map((v) => (
                <tr key={v.inspection_id}>
                  <td>
                    <a href={`#/desk/inspection/${v.inspection_id}`}>{v.visit_date ?? v.inspection_id.slice(0, 8)}</a>
                  </td>
                  <td>{d(`type.${v.type}`)}</td>
                  <td class="num">{rate(v.compliance_rate)}</td>
                  <td class="num">{v.non_compliant}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="tl-relations">
          <h2 id="tl-relations">{d("tl.relations")}</h2>
          {history.relations.length === 0 ? <p>{d("common.none")}</p> : null}
          <ul>
            {history.relations.map((r) => (
              <li key={r.id}>
                <a href={`#/desk/establishment/${r.other_id}`}>{r.other_name}</a> · {r.kind} · {r.role}
                {r.project ? ` · ${r.project}` : ""}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section aria-labelledby="tl-timeline">
        <h2 id="tl-timeline">{d("tl.timeline")}</h2>
        <table data-testid="timeline">
          <thead>
            <tr>
              <th scope="col">{d("enf.when")}</th>
              <th scope="col">{d("tl.kind")}</th>
              <th scope="col">{d("tl.what")}</th>
            </tr>
          </thead>
          <tbody>
            {history.timeline.map((e) => (
              <tr key={`${e.kind}-${e.id}`} data-testid={`tl-${e.kind}-${e.id}`}>
                <td>{e.on ?? "—"}</td>
                <td>{d(`tl.kind.${e.kind}`)}</td>
                <td>{e.kind === "visit" ? <a href={`#/desk/inspection/${e.id}`}>{what(e)}</a> : what(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

// The dashboard: done against assigned by district and inspector, non-compliances by convention, area and
// severity, open and overdue measures, month by month. Each chart is SVG with its table beside it; bars carry
// their numbers and a pattern (filled: done, outlined: assigned), so nothing is told by colour alone.
import { useEffect, useState } from "preact/hooks";
import { call, problem, qs } from "./deskapi";
import { bi, d } from "./strings";

type T2 = { en: string; zh: string };
interface Row { key: string; label: T2; count: number }
interface DoneRow { key: string; label: T2; assigned: number; done: number }
interface Data {
  date_from: string; date_to: string; by_district: DoneRow[]; by_inspector: DoneRow[]; by_convention: Row[];
  by_area: Row[]; by_severity: Row[]; measures_open: number; measures_overdue: number; months: DoneRow[];
}

const W = 520;
const BAR = 22;

function DoneChart({ title, rows, label }: { title: string; rows: DoneRow[]; label: (r: DoneRow) => string }) {
  const max = Math.max(1, ...rows.map((r) => r.assigned));
  const h = rows.length * (BAR + 10) + 10;
  const id = `c-${title.replace(/\W+/g, "")}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? <p>{d("dash.empty")}</p> : (
        <div class="pair">
          <div>
            <svg width={W} height={h} role="img" aria-label={d("dash.chart", { title })}>
              {rows.map((r, i) => {
                const y = 10 + i * (BAR + 10);
                const wa = ((W - 200) * r.assigned) / max;
                const wd = ((W - 200) * r.done) / max;
                return (
                  <g key={r.key}>
                    <text x={0} y={y + 15}>{label(r).slice(0, 18)}</text>
                    <rect class="bar-assigned" x={140} y={y} width={Math.max(1, wa)} height={BAR} />
                    <rect class="bar-done" x={140} y={y + 5} width={Math.max(0, wd)} height={BAR - 10} />
                    <text x={146 + wa} y={y + 15}>{`${r.done}/${r.assigned}`}</text>
                  </g>
                );
              })}
            </svg>
            <p class="legend"><span><span class="sw done" />{d("dash.done")}</span><span><span class="sw" />{d("dash.assigned")}</span></p>
          </div>
          <table>
            <thead><tr><th scope="col">{d("dash.name")}</th><th scope="col" class="num">{d("dash.done")}</th><th scope="col" class="num">{d("dash.assigned")}</th></tr></thead>
            <tbody>{rows.map((r) => <tr key={r.key}><th scope="row">{label(r)}</th><td class="num">{r.done}</td><td class="num">{r.assigned}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function CountChart({ title, rows, label }: { title: string; rows: Row[]; label: (r: Row) => string }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const h = rows.length * (BAR + 8) + 10;
  const id = `c-${title.replace(/\W+/g, "")}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? <p>{d("dash.empty")}</p> : (
        <div class="pair">
          <svg width={W} height={h} role="img" aria-label={d("dash.chart", { title })}>
            {rows.map((r, i) => {
              const y = 10 + i * (BAR + 8);
              const w = ((W - 200) * r.count) / max;
              return (
                <g key={r.key}>
                  <text x={0} y={y + 15}>{label(r).slice(0, 18)}</text>
                  <rect class="bar-count" x={140} y={y} width={Math.max(1, w)} height={BAR} />
                  <text x={146 + w} y={y + 15}>{r.count}</text>
                </g>
              );
            })}
          </svg>
          <table>
            <thead><tr><th scope="col">{d("dash.name")}</th><th scope="col" class="num">{d("dash.count")}</th></tr></thead>
            <tbody>{rows.map((r) => <tr key={r.key}><th scope="row">{label(r)}</th><td class="num">{r.count}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Dashboard() {
  // The first load asks for the server's default period (the last twelve months up to today in the district's
  // time zone, not this browser's), and the form shows the period the answer covers.
  const [period, setPeriod] = useState({ date_from: "", date_to: "" });
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    call<Data>(`/dashboard${qs({ date_from: period.date_from || null, date_to: period.date_to || null })}`).then(
      (answer) => (setData(answer), setPeriod({ date_from: answer.date_from, date_to: answer.date_to })),
      (e) => setError(problem(e)),
    );
  useEffect(() => void load(), []);
  return (
    <div>
      <h1>{d("dash.title")}</h1>
      <form class="panel row" onSubmit={(e) => (e.preventDefault(), void load())} aria-label={d("dash.period")}>
        <label>{d("q.from")} <input type="date" value={period.date_from} onInput={(e) => setPeriod({ ...period, date_from: e.currentTarget.value })} /></label>
        <label>{d("q.to")} <input type="date" value={period.date_to} onInput={(e) => setPeriod({ ...period, date_to: e.currentTarget.value })} /></label>
        <button class="btn primary" type="submit">{d("common.apply")}</button>
      </form>
      {error ? <p class="err-msg" role="alert">{error}</p> : null}
      {data ? (
        <>
          <p class="panel" data-testid="measures">{d("dash.measures", { open: data.measures_open, overdue: data.measures_overdue })}</p>
          <DoneChart title={d("dash.by_district")} rows={data.by_district} label={(r) => bi(r.label)} />
          <DoneChart title={d("dash.by_inspector")} rows={data.by_inspector} label={(r) => bi(r.label)} />
          <DoneChart title={d("dash.months")} rows={data.months} label={(r) => r.key} />
          <CountChart title={d("dash.by_convention")} rows={data.by_convention} label={(r) => r.key} />
          <CountChart title={d("dash.by_area")} rows={data.by_area} label={(r) => bi(r.label)} />
          <CountChart title={d("dash.by_severity")} rows={data.by_severity} label={(r) => d(`sev.${r.key}`)} />
        </>
      ) : <p>{d("common.loading")}</p>}
    </div>
  );
}

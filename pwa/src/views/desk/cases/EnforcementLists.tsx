// The desk's lists of enforcement in the area (#/desk/cases/measures, #/desk/cases/violations): every measure by
// state (open, overdue, escalated, complied, closed, withdrawn) and every violation (provisions, severity, repeat,
// state), filtered by district, establishment and kind, paged; each row links to the inspection and to the
// establishment's timeline (#/desk/establishment/<id>). Native form controls only: keyboard operable.
import { useEffect, useState } from "preact/hooks";
import { call, problem, qs } from "../deskapi";
import { bi, d } from "../strings";

interface Unit {
  id: string;
  level: string;
  name_en: string;
  name_zh: string;
}
interface Named {
  id: string;
  name: string;
}
interface MeasureRow {
  id: string;
  inspection_id: string;
  establishment_id: string;
  establishment_name: string;
  item_id: string | null;
  measure: string;
  status: string;
  overdue: boolean;
  deadline: string | null;
  appeal_pending?: boolean;
}
interface ViolationRow {
  id: string;
  inspection_id: string;
  establishment_id: string;
  establishment_name: string;
  item_id: string;
  provisions: { en?: string; zh?: string; instrument?: string; article?: string }[];
  severity: string;
  repeat: boolean;
  status: string;
  found_on: string;
  measure_statuses: string[];
}
interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

const PAGE = 25;
const STATES = ["open", "overdue", "escalated", "complied", "closed", "withdrawn"];
const MEASURES = ["advice", "warning", "order_to_rectify", "stop_work", "penalty", "referral"];
const SEVERITIES = ["critical", "major", "minor"];
type Kind = "measures" | "violations";
type Filters = Record<string, string>;
const EMPTY: Record<Kind, Filters> = {
  measures: { status: "", district_id: "", establishment_id: "", measure: "" },
  violations: { status: "", severity: "", repeat: "", district_id: "", establishment_id: "" },
};

function Select({ id, label, value, set, options }: { id: string; label: string; value: string; set: (v: string) => void; options: [string, string][] }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => set(e.currentTarget.value)} data-testid={`f-${id}`}>
        <option value="">{d("common.any")}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

const links = (r: { inspection_id: string; establishment_id: string; establishment_name: string }) => (
  <>
    <td>
      <a href={`#/desk/establishment/${r.establishment_id}`}>{r.establishment_name}</a>
    </td>
    <td>
      <a href={`#/desk/inspection/${r.inspection_id}`}>{d("el.inspection")}</a>
    </td>
  </>
);

function MeasureTable({ rows }: { rows: MeasureRow[] }) {
  return (
    <table data-testid="measure-list">
      <thead>
        <tr>
          <th scope="col">{d("el.measure")}</th>
          <th scope="col">{d("el.state")}</th>
          <th scope="col">{d("enf.deadline")}</th>
          <th scope="col">{d("el.item")}</th>
          <th scope="col">{d("q.establishment")}</th>
          <th scope="col">{d("el.inspection")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.id} data-testid={`measure-${a.id}`}>
            <td>{d(`enf.measure.${a.measure}`)}</td>
            <td>
              {d(`enf.status.${a.status}`)}
              {a.overdue && a.status !== "overdue" ? <span class="dk-tag bad"> {d("enf.overdue_flag")}</span> : null}
              {a.appeal_pending ? <span class="dk-tag"> {d("enf.suspended")}</span> : null}
            </td>
            <td>{a.deadline ?? "—"}</td>
            <td>{a.item_id ?? "—"}</td>
            {links(a)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ViolationTable({ rows }: { rows: ViolationRow[] }) {
  return (
    <table data-testid="violation-list">
      <thead>
        <tr>
          <th scope="col">{d("el.found_on")}</th>
          <th scope="col">{d("el.provision")}</th>
          <th scope="col">{d("q.severity")}</th>
          <th scope="col">{d("el.repeat")}</th>
          <th scope="col">{d("el.state")}</th>
          <th scope="col">{d("q.establishment")}</th>
          <th scope="col">{d("el.inspection")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((v) => (
          <tr key={v.id} data-testid={`violation-${v.id}`}>
            <td>{v.found_on}</td>
            <td>
              <span class="mono">{v.item_id}</span>{" "}
              {v.provisions.map((p, i) => (
                <span key={i}>{p.en || p.zh ? bi({ en: p.en ?? "", zh: p.zh ?? "" }) : `${p.instrument} ${p.article}`}; </span>
              ))}
            </td>
            <td>{d(`sev.${v.severity}`)}</td>
            <td>{v.repeat ? <span class="dk-tag bad">{d("el.repeat_yes")}</span> : d("common.no")}</td>
            <td>
              {d(`el.violation.${v.status}`)} ·{" "}
              {v.measure_statuses.length ? v.measure_statuses.map((s) => d(`enf.status.${s}`)).join(", ") : d("el.no_measure")}
            </td>
            {links(v)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EnforcementLists({ kind }: { kind: Kind }) {
  const [filters, setFilters] = useState<Filters>({ ...EMPTY[kind] });
  const [applied, setApplied] = useState<Filters>({ ...EMPTY[kind] });
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Page<MeasureRow | ViolationRow> | null>(null);
  const [units, setUnits] = useState<Unit[]>([]);
  const [establishments, setEstablishments] = useState<Named[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call<Unit[]>("/org-units").then((u) => setUnits(u.filter((x) => x.level === "district")), () => setUnits([]));
    call<Page<Named>>("/establishments?limit=500").then((p) => setEstablishments(p.items), () => setEstablishments([]));
  }, []);
  useEffect(() => {
    setPage(null);
    call<Page<MeasureRow | ViolationRow>>(`/enforcement/${kind}${qs({ ...applied, limit: PAGE, offset })}`).then(
      (p) => (setPage(p), setError(null)),
      (e) => setError(problem(e)),
    );
  }, [kind, applied, offset]);
  const set = (key: string) => (v: string) => setFilters({ ...filters, [key]: v });
  const states: [string, string][] =
    kind === "measures" ? STATES.map((s) => [s, d(`enf.status.${s}`)]) : ["active", "superseded"].map((s) => [s, d(`el.violation.${s}`)]);
  const last = page ? Math.min(page.total, offset + page.items.length) : 0;
  return (
    <div class="stack" data-testid={`list-${kind}`}>
      <h1>{d(`el.${kind}_title`)}</h1>
      <form
        class="panel filters"
        role="search"
        aria-label={d(`el.${kind}_title`)}
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setApplied({ ...filters });
        }}
      >
        <Select id="status" label={d("el.state")} value={filters.status} set={set("status")} options={states} />
        <Select id="district_id" label={d("q.district")} value={filters.district_id} set={set("district_id")} options={units.map((u) => [u.id, bi({ en: u.name_en, zh: u.name_zh })])} />
        <Select id="establishment_id" label={d("q.establishment")} value={filters.establishment_id} set={set("establishment_id")} options={establishments.map((e) => [e.id, e.name])} />
        {kind === "measures" ? (
          <Select id="measure" label={d("el.measure")} value={filters.measure} set={set("measure")} options={MEASURES.map((m) => [m, d(`enf.measure.${m}`)])} />
        ) : (
          <>
            <Select id="severity" label={d("q.severity")} value={filters.severity} set={set("severity")} options={SEVERITIES.map((s) => [s, d(`sev.${s}`)])} />
            <Select id="repeat" label={d("el.repeat")} value={filters.repeat} set={set("repeat")} options={[["true", d("common.yes")], ["false", d("common.no")]]} />
          </>
        )}
        <div class="row">
          <button class="btn primary" type="submit">
            {d("common.apply")}
          </button>
          <button class="btn" type="button" onClick={() => (setFilters({ ...EMPTY[kind] }), setOffset(0), setApplied({ ...EMPTY[kind] }))}>
            {d("common.clear")}
          </button>
        </div>
      </form>
      {error ? <p class="err-msg" role="alert">{error}</p> : null}
      {page === null ? (
        <p>{d("common.loading")}</p>
      ) : (
        <>
          <p role="status" data-testid="list-count">
            {page.total ? d("el.showing", { from: offset + 1, to: last, n: page.total }) : d("common.none")}
          </p>
          <div class="wide">
            {kind === "measures" ? <MeasureTable rows={page.items as MeasureRow[]} /> : <ViolationTable rows={page.items as ViolationRow[]} />}
          </div>
          <nav class="row" aria-label={d("el.pages")}>
            <button class="btn" type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {d("el.previous")}
            </button>
            <button class="btn" type="button" disabled={last >= page.total} onClick={() => setOffset(offset + PAGE)}>
              {d("el.next")}
            </button>
          </nav>
        </>
      )}
    </div>
  );
}

// The review queue: submitted inspections in the area, oldest first, with counts, filters and keyset paging.
import { useEffect, useState } from "preact/hooks";
import { call, problem, qs } from "./deskapi";
import { bi, d, when } from "./strings";

interface Row {
  id: string;
  establishment: string;
  isic: string;
  district: { en: string; zh: string };
  type: string;
  visit_date: string | null;
  submitted_at: string | null;
  revision: number;
  resubmission: boolean;
  team: string[];
  non_compliances: number;
}
interface Page {
  items: Row[];
  total: number;
  by_district: { district_id: string; name: { en: string; zh: string }; count: number }[];
  next: string | null;
}
interface Unit {
  id: string;
  level: string;
  name_en: string;
  name_zh: string;
}

const EMPTY = {
  district_id: "", inspector: "", establishment: "", sector: "", date_from: "", date_to: "", type: "",
  has_non_compliances: "", severity: "",
};
const TYPES = ["planned", "complaint", "accident", "follow_up", "campaign"];
const SEVERITIES = ["critical", "major", "minor"];

export function Queue() {
  const [filters, setFilters] = useState({ ...EMPTY });
  const [applied, setApplied] = useState({ ...EMPTY });
  const [page, setPage] = useState<Page | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [units, setUnits] = useState<Unit[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call<Unit[]>("/org-units").then((u) => setUnits(u.filter((x) => x.level === "district")), () => setUnits([]));
  }, []);
  const load = (after: string | null) =>
    call<Page>(`/review-queue${qs({ ...applied, limit: 50, after })}`).then(
      (p) => {
        setPage(p);
        setRows((old) => (after ? [...old, ...p.items] : p.items));
        setError(null);
      },
      (e) => setError(problem(e)),
    );
  useEffect(() => void load(null), [applied]);

  const field = (key: keyof typeof EMPTY, label: string, type = "text") => (
    <label>
      {d(label)}
      <input
        type={type}
        value={filters[key]}
        onInput={(e) => setFilters({ ...filters, [key]: e.currentTarget.value })}
        data-testid={`f-${key}`}
      />
    </label>
  );
  const select = (key: keyof typeof EMPTY, label: string, options: [string, string][]) => (
    <label>
      {d(label)}
      <select value={filters[key]} onChange={(e) => setFilters({ ...filters, [key]: e.currentTarget.value })} data-testid={`f-${key}`}>
        <option value="">{d("common.any")}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div>
      <h1>{d("q.title")}</h1>
      <form
        class="panel filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ ...filters });
        }}
      >
        {select("district_id", "q.district", units.map((u) => [u.id, bi({ en: u.name_en, zh: u.name_zh })]))}
        {field("inspector", "q.inspector")}
        {field("establishment", "q.establishment")}
        {field("sector", "q.sector")}
        {select("type", "q.type", TYPES.map((t) => [t, d(`type.${t}`)]))}
        {field("date_from", "q.from", "date")}
        {field("date_to", "q.to", "date")}
        {select("has_non_compliances", "q.nc", [["true", d("common.yes")], ["false", d("common.no")]])}
        {select("severity", "q.severity", SEVERITIES.map((s) => [s, d(`sev.${s}`)]))}
        <div class="row">
          <button class="btn primary" type="submit">
            {d("common.apply")}
          </button>
          <button
            class="btn"
            type="button"
            onClick={() => {
              setFilters({ ...EMPTY });
              setApplied({ ...EMPTY });
            }}
          >
            {d("common.clear")}
          </button>
        </div>
      </form>
      {error ? <p class="err-msg" role="alert">{error}</p> : null}
      {page ? (
        <div class="split">
          <div>
            <p role="status" data-testid="queue-count">
              {d("q.count", { n: page.total })}
            </p>
            {rows.length === 0 ? (
              <p>{d("q.empty")}</p>
            ) : (
              <table data-testid="queue">
                <thead>
                  <tr>
                    <th scope="col">{d("q.submitted")}</th>
                    <th scope="col">{d("q.establishment")}</th>
                    <th scope="col">{d("q.district")}</th>
                    <th scope="col">{d("q.type")}</th>
                    <th scope="col">{d("q.visit")}</th>
                    <th scope="col">{d("q.team")}</th>
                    <th scope="col" class="num">{d("q.ncs")}</th>
                    <th scope="col" class="num">{d("q.revision")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id} data-testid="queue-row">
                      <td>{when(r.submitted_at)}</td>
                      <td>
                        <a href={`#/desk/inspection/${r.id}`}>{r.establishment}</a>
                      </td>
                      <td>{bi(r.district)}</td>
                      <td>{d(`type.${r.type}`)}</td>
                      <td>{r.visit_date ?? "—"}</td>
                      <td>{r.team.join(", ")}</td>
                      <td class="num">
                        {r.non_compliances ? <span class="dk-tag bad">{r.non_compliances}</span> : "0"}
                      </td>
                      <td class="num">
                        {r.revision}
                        {r.resubmission ? <span class="dk-tag"> {d("q.resubmitted")}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {page.next ? (
              <button class="btn" onClick={() => void load(page.next)}>
                {d("common.more")}
              </button>
            ) : null}
          </div>
          <section class="panel" aria-labelledby="by-district">
            <h2 id="by-district">{d("q.by_district")}</h2>
            <table>
              <tbody>
                {page.by_district.map((c) => (
                  <tr key={c.district_id}>
                    <th scope="row">{bi(c.name)}</th>
                    <td class="num">{c.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      ) : (
        <p>{d("common.loading")}</p>
      )}
    </div>
  );
}

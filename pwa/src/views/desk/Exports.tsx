// Data exports (issue 19): a dataset, a format and filters; a direct download for small ones, or a job of the
// worker whose progress is shown until its download link (only for the user who asked, until it expires).
import { useEffect, useRef, useState } from "preact/hooks";
import { request } from "../../api";
import { call, problem, qs } from "./deskapi";
import { bi, d, when } from "./strings";

const DATASETS = ["inspections", "findings", "violations", "measures", "penalties", "complaints", "accidents", "injured_persons"];
// The datasets filtered by checklist and convention (the others have no such column: the server refuses them).
const BY_ITEM = new Set(["inspections", "findings", "violations", "measures", "penalties"]);

interface Unit {
  id: string;
  level: string;
  name_en: string;
  name_zh: string;
}
interface ChecklistSummary {
  key: string;
  title: { en: string; zh: string };
}
interface Job {
  id: string;
  dataset: string;
  format: string;
  status: "queued" | "running" | "done" | "failed";
  progress: number;
  rows: number | null;
  expires_at: string | null;
  expired: boolean;
  download_url: string | null;
  error: string | null;
}

const EMPTY = { since: "", until: "", org_unit_id: "", isic: "", checklist: "", convention: "" };
type Filters = typeof EMPTY;

async function save(path: string, name: string, bearer: string): Promise<void> {
  const r = await request(path, { bearer, headers: { Accept: "*/*" }, timeoutMs: 600_000 });
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function Exports({ token }: { token: string }) {
  const [dataset, setDataset] = useState("findings");
  const [format, setFormat] = useState<"csv" | "xlsx">("csv");
  const [filters, setFilters] = useState<Filters>({ ...EMPTY });
  const [units, setUnits] = useState<Unit[]>([]);
  const [lists, setLists] = useState<ChecklistSummary[]>([]);
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<number | null>(null);

  useEffect(() => {
    call<Unit[]>("/org-units").then(setUnits, () => setUnits([]));
    call<ChecklistSummary[]>("/checklists").then(setLists, () => setLists([]));
    return () => void (timer.current !== null && clearInterval(timer.current));
  }, []);
  const byItem = BY_ITEM.has(dataset);
  const asked = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(filters)) if (v && (byItem || (k !== "checklist" && k !== "convention"))) out[k] = v.trim();
    return out;
  };
  const direct = async () => {
    setBusy(true);
    setError(null);
    try {
      await save(`/exports/${dataset}.${format}${qs(asked())}`, `${dataset}.${format}`, token);
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };
  const watch = (id: string) => {
    if (timer.current !== null) clearInterval(timer.current);
    timer.current = window.setInterval(() => {
      call<Job>(`/exports/jobs/${id}`).then(
        (j) => {
          setJob(j);
          if ((j.status === "done" || j.status === "failed") && timer.current !== null) clearInterval(timer.current);
        },
        (e) => setError(problem(e)),
      );
    }, 1000);
  };
  const start = async () => {
    setError(null);
    try {
      const j = await call<Job>("/exports/jobs", { method: "POST", json: { dataset, format, filters: asked() } });
      setJob(j);
      watch(j.id);
    } catch (e) {
      setError(problem(e));
    }
  };
  const field = (key: keyof Filters, label: string, type = "text", extra: Record<string, string> = {}) => (
    <label>
      {d(label)}
      <input
        type={type}
        value={filters[key]}
        onInput={(e) => setFilters({ ...filters, [key]: e.currentTarget.value })}
        data-testid={`x-${key}`}
        {...extra}
      />
    </label>
  );
  const done = job?.status === "done" && job.download_url;
  return (
    <div>
      <h1>{d("x.title")}</h1>
      <form class="panel form grid" onSubmit={(e) => (e.preventDefault(), void direct())} aria-describedby="x-help">
        <p id="x-help" style="grid-column: 1 / -1; margin: 0">{d("x.help")}</p>
        <label>
          {d("x.dataset")}
          <select value={dataset} onChange={(e) => setDataset(e.currentTarget.value)} data-testid="x-dataset">
            {DATASETS.map((k) => (
              <option key={k} value={k}>
                {d(`x.ds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="x-format">
          <legend>{d("x.format")}</legend>
          {(["csv", "xlsx"] as const).map((f) => (
            <label key={f} class="check">
              <input type="radio" name="x-format" value={f} checked={format === f} onChange={() => setFormat(f)} data-testid={`x-format-${f}`} />
              {d(`x.fmt.${f}`)}
            </label>
          ))}
        </fieldset>
        {field("since", "x.since", "date")}
        {field("until", "x.until", "date")}
        <label>
          {d("x.unit")}
          <select value={filters.org_unit_id} onChange={(e) => setFilters({ ...filters, org_unit_id: e.currentTarget.value })} data-testid="x-org_unit_id">
            <option value="">{d("x.all_area")}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {bi({ en: u.name_en, zh: u.name_zh })}
              </option>
            ))}
          </select>
        </label>
        {field("isic", "x.isic", "text", { pattern: "[A-U0-9]{1,4}", maxLength: "4", placeholder: "C, 14, 1410" })}
        <label>
          {d("x.checklist")}
          <select
            value={byItem ? filters.checklist : ""}
            disabled={!byItem}
            onChange={(e) => setFilters({ ...filters, checklist: e.currentTarget.value })}
            data-testid="x-checklist"
          >
            <option value="">{d("common.any")}</option>
            {lists.map((c) => (
              <option key={c.key} value={c.key}>
                {bi(c.title)}
              </option>
            ))}
          </select>
        </label>
        {byItem ? field("convention", "x.convention", "text", { placeholder: "C81, C155, CN-LL", maxLength: "32" }) : <p>{d("x.no_item_filters")}</p>}
        <div class="row" style="grid-column: 1 / -1">
          <button class="btn primary" type="submit" disabled={busy} data-testid="x-direct">
            {busy ? d("x.preparing") : d("x.direct")}
          </button>
          <button class="btn" type="button" onClick={() => void start()} data-testid="x-job">
            {d("x.job")}
          </button>
          <button class="btn" type="button" onClick={() => setFilters({ ...EMPTY })}>
            {d("common.clear")}
          </button>
        </div>
      </form>
      {error ? (
        <p class="err-msg" role="alert">
          {error}
        </p>
      ) : null}
      <section class="panel" aria-labelledby="x-job-h" hidden={!job}>
        <h2 id="x-job-h">{d("x.job_title")}</h2>
        {job ? (
          <div role="status" aria-live="polite" data-testid="x-job-state">
            <p>
              {d(`x.st.${job.status}`)} · {d("x.progress", { n: job.progress })}
              {job.rows !== null ? ` · ${d("x.rows", { n: job.rows })}` : ""}
            </p>
            <progress max={100} value={job.progress} aria-label={d("x.progress_label")} data-testid="x-progress" />
            {job.error ? <p class="err-msg">{job.error}</p> : null}
            {done ? (
              <p>
                <button class="btn primary" type="button" data-testid="x-download" onClick={() => void save(job.download_url!.replace(/^\/api\/v1/, ""), `${job.dataset}.${job.format}`, token).catch((e) => setError(problem(e)))}>
                  {d("x.download")}
                </button>{" "}
                {d("x.expires", { at: when(job.expires_at) })}
              </p>
            ) : job.expired ? (
              <p>{d("x.expired")}</p>
            ) : null}
          </div>
        ) : null}
      </section>
    </div>
  );
}

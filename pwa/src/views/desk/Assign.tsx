// Assignment: create an inspection for an inspector (and team) by name, reassign it, and see who has what.
import { useEffect, useState } from "preact/hooks";
import { call, problem, qs } from "./deskapi";
import { bi, d } from "./strings";

interface Staff { id: string; name: string; role: string; open_assignments: number; org_units: { en: string; zh: string }[] }
interface Assignment {
  id: string; establishment: string; district: { en: string; zh: string }; type: string; status: string;
  visit_date: string | null; lead: string; lead_inspector_id: string; team: string[];
}
interface Establishment { id: string; name: string }
interface Checklist { key: string; version: number; title: { en: string; zh: string } }

export function Assign() {
  const [staff, setStaff] = useState<Staff[]>([]);
  const [list, setList] = useState<Assignment[]>([]);
  const [checklists, setChecklists] = useState<Checklist[]>([]);
  const [q, setQ] = useState("");
  const [found, setFound] = useState<Establishment[]>([]);
  const [form, setForm] = useState({ establishment_id: "", lead: "", team: [] as string[], checklist: "", date: "", type: "planned" });
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () => {
    call<Staff[]>("/staff").then(setStaff, (e) => setError(problem(e)));
    call<Assignment[]>("/assignments").then(setList, (e) => setError(problem(e)));
  };
  useEffect(() => {
    reload();
    call<Checklist[]>("/checklists").then(setChecklists, () => setChecklists([]));
  }, []);
  useEffect(() => {
    const timer = setTimeout(
      () => call<{ items: Establishment[] }>(`/establishments${qs({ q, limit: 20 })}`).then((p) => setFound(p.items), () => setFound([])),
      250,
    );
    return () => clearTimeout(timer);
  }, [q]);
  const inspectors = staff.filter((s) => s.role === "inspector" || s.role === "supervisor");
  const name = (id: string) => staff.find((s) => s.id === id)?.name ?? id;
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const [key, version] = form.checklist.split("@");
    try {
      await call("/assignments", {
        json: {
          establishment_id: form.establishment_id, lead_inspector_id: form.lead, team: form.team.filter((t) => t !== form.lead),
          checklists: [{ key, version: Number(version) }], visit_date: form.date || null, type: form.type,
        },
      });
      setMsg(d("a.created", { name: name(form.lead) }));
      reload();
    } catch (err) {
      setError(problem(err));
    }
  };
  const reassign = async (a: Assignment, lead: string) => {
    setError(null);
    try {
      await call(`/assignments/${a.id}/reassign`, { json: { lead_inspector_id: lead, team: [] } });
      setMsg(d("a.reassigned", { name: name(lead) }));
      reload();
    } catch (err) {
      setError(problem(err));
    }
  };
  return (
    <div>
      <h1>{d("a.title")}</h1>
      {msg ? <p class="ok-msg" role="status" data-testid="assign-msg">{msg}</p> : null}
      {error ? <p class="err-msg" role="alert">{error}</p> : null}
      <div class="split">
        <div>
          <h2>{d("a.who")}</h2>
          <table data-testid="assignments">
            <thead>
              <tr>
                <th scope="col">{d("q.establishment")}</th><th scope="col">{d("q.district")}</th><th scope="col">{d("a.date")}</th>
                <th scope="col">{d("q.type")}</th><th scope="col">{d("a.lead")}</th><th scope="col">{d("q.team")}</th>
                <th scope="col">{d("a.reassign")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.id} data-testid="assignment-row">
                  <td>{a.establishment} <span class="dk-tag">{d(`status.${a.status}`)}</span></td>
                  <td>{bi(a.district)}</td>
                  <td>{a.visit_date ?? "—"}</td>
                  <td>{d(`type.${a.type}`)}</td>
                  <td>{a.lead}</td>
                  <td>{a.team.join(", ")}</td>
                  <td>
                    <select aria-label={`${d("a.reassign")} ${a.establishment}`} value="" onChange={(e) => e.currentTarget.value && void reassign(a, e.currentTarget.value)}>
                      <option value="">—</option>
                      {inspectors.filter((s) => s.id !== a.lead_inspector_id).map((s) => (
                        <option key={s.id} value={s.id}>{s.name}</option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{d("a.staff")}</h2>
          <table data-testid="staff">
            <thead><tr><th scope="col">{d("adm.name")}</th><th scope="col">{d("adm.role")}</th><th scope="col">{d("adm.unit")}</th><th scope="col" class="num">{d("a.holds")}</th></tr></thead>
            <tbody>
              {staff.map((s) => (
                <tr key={s.id}><td>{s.name}</td><td>{d(`role.${s.role}`)}</td><td>{s.org_units.map(bi).join(", ")}</td><td class="num">{s.open_assignments}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
        <form class="panel form" onSubmit={create} aria-labelledby="h-new">
          <h2 id="h-new">{d("a.new")}</h2>
          <label>
            {d("a.search")}
            <input value={q} onInput={(e) => setQ(e.currentTarget.value)} data-testid="est-search" />
          </label>
          <label>
            {d("q.establishment")}
            <select required value={form.establishment_id} onChange={(e) => setForm({ ...form, establishment_id: e.currentTarget.value })} data-testid="est">
              <option value="">—</option>
              {found.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
          </label>
          <label>
            {d("a.lead")}
            <select required value={form.lead} onChange={(e) => setForm({ ...form, lead: e.currentTarget.value })} data-testid="lead">
              <option value="">—</option>
              {inspectors.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          </label>
          <fieldset>
            <legend>{d("a.team")}</legend>
            {inspectors.filter((s) => s.id !== form.lead).map((s) => (
              <label class="check" key={s.id}>
                <input type="checkbox" checked={form.team.includes(s.id)}
                  onChange={(e) => setForm({ ...form, team: e.currentTarget.checked ? [...form.team, s.id] : form.team.filter((t) => t !== s.id) })} />
                {s.name}
              </label>
            ))}
          </fieldset>
          <label>
            {d("a.checklists")}
            <select required value={form.checklist} onChange={(e) => setForm({ ...form, checklist: e.currentTarget.value })} data-testid="checklist">
              <option value="">—</option>
              {checklists.map((c) => <option key={c.key} value={`${c.key}@${c.version}`}>{bi(c.title)}</option>)}
            </select>
          </label>
          <label>
            {d("q.type")}
            <select value={form.type} onChange={(e) => setForm({ ...form, type: e.currentTarget.value })}>
              {["planned", "complaint", "accident", "follow_up", "campaign"].map((t) => <option key={t} value={t}>{d(`type.${t}`)}</option>)}
            </select>
          </label>
          <label>
            {d("a.date")}
            <input type="date" value={form.date} onInput={(e) => setForm({ ...form, date: e.currentTarget.value })} data-testid="date" />
          </label>
          <button class="btn primary" type="submit" data-testid="assign">{d("a.create")}</button>
        </form>
      </div>
    </div>
  );
}

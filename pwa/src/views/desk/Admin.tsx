// The administrator's pages: users (create, disable, reset password, role, org unit), devices (last sync,
// revoke) and org units (create, rename) — what the CLI and curl did before.
import { useEffect, useState } from "preact/hooks";
import type { SignedIn } from "../../auth";
import { call, problem } from "./deskapi";
import { bi, d, when } from "./strings";

interface User { id: string; email: string; name: string; sex: string | null; role: string; active: boolean; org_unit_ids: string[] }
interface Device { id: string; user_id: string; name: string; platform: string | null; last_seen_at: string | null; revoked_at: string | null }
interface Unit { id: string; parent_id: string | null; level: string; code: string; name_en: string; name_zh: string }
const ROLES = ["inspector", "supervisor", "admin"];

export function Admin({ tab, me }: { tab: string | undefined; me: SignedIn }) {
  const current = tab === "devices" || tab === "units" ? tab : "users";
  const [users, setUsers] = useState<User[]>([]);
  const [devices, setDevices] = useState<Device[]>([]);
  const [units, setUnits] = useState<Unit[]>([]);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [nu, setNu] = useState({ email: "", name: "", sex: "female", role: "inspector", password: "", unit: "" });
  const [un, setUn] = useState({ code: "", level: "district", name_en: "", name_zh: "", parent_id: "" });
  const [pw, setPw] = useState<Record<string, string>>({});
  const reload = () => {
    call<User[]>("/users").then(setUsers, (e) => setError(problem(e)));
    call<Device[]>("/devices").then(setDevices, (e) => setError(problem(e)));
    call<Unit[]>("/org-units").then(setUnits, (e) => setError(problem(e)));
  };
  useEffect(reload, []);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    setMsg(null);
    try {
      await fn();
      setMsg(d("adm.saved"));
      reload();
    } catch (e) {
      setError(problem(e));
    }
  };
  const patch = (u: User, body: Record<string, unknown>) => act(() => call(`/users/${u.id}`, { method: "PATCH", json: body }));
  const unitName = (id: string) => {
    const u = units.find((x) => x.id === id);
    return u ? bi({ en: u.name_en, zh: u.name_zh }) : id;
  };
  const owner = (id: string) => users.find((u) => u.id === id)?.name ?? id;
  // where a lost tablet's owner works: the admin finds a district's tablets by it
  const ownerUnits = (id: string) => (users.find((u) => u.id === id)?.org_unit_ids ?? []).map(unitName).join(", ");
  return (
    <div>
      <h1>{d("nav.admin")}</h1>
      <nav class="tabs" aria-label={d("nav.admin")}>
        {(["users", "devices", "units"] as const).map((k) => (
          <a key={k} href={`#/desk/admin/${k}`} aria-current={current === k ? "page" : undefined}>{d(`adm.${k}`)}</a>
        ))}
      </nav>
      {msg ? <p class="ok-msg" role="status" data-testid="admin-msg">{msg}</p> : null}
      {error ? <p class="err-msg" role="alert">{error}</p> : null}
      {current === "users" ? (
        <div>
          <form class="panel form grid" aria-labelledby="h-nu" onSubmit={(e) => {
            e.preventDefault();
            void act(() => call("/users", { json: { email: nu.email, name: nu.name, sex: nu.sex, role: nu.role, password: nu.password, org_unit_ids: nu.unit ? [nu.unit] : [] } }));
          }}>
            <h2 id="h-nu">{d("adm.create_user")}</h2>
            <label>{d("adm.email")}<input type="email" required value={nu.email} onInput={(e) => setNu({ ...nu, email: e.currentTarget.value })} data-testid="nu-email" /></label>
            <label>{d("adm.name")}<input required value={nu.name} onInput={(e) => setNu({ ...nu, name: e.currentTarget.value })} data-testid="nu-name" /></label>
            <label>{d("adm.sex")}<select value={nu.sex} onChange={(e) => setNu({ ...nu, sex: e.currentTarget.value })}><option value="female">{d("adm.sex.female")}</option><option value="male">{d("adm.sex.male")}</option></select></label>
            <label>{d("adm.role")}<select value={nu.role} onChange={(e) => setNu({ ...nu, role: e.currentTarget.value })}>{ROLES.map((r) => <option key={r} value={r}>{d(`role.${r}`)}</option>)}</select></label>
            <label>{d("adm.unit")}<select value={nu.unit} onChange={(e) => setNu({ ...nu, unit: e.currentTarget.value })} data-testid="nu-unit"><option value="">—</option>{units.map((x) => <option key={x.id} value={x.id}>{unitName(x.id)}</option>)}</select></label>
            <label>{d("adm.password")}<input type="password" autocomplete="new-password" required minLength={12} value={nu.password} onInput={(e) => setNu({ ...nu, password: e.currentTarget.value })} data-testid="nu-password" /></label>
            <button class="btn primary" type="submit" data-testid="nu-create">{d("adm.create_user")}</button>
          </form>
          <div class="wide">
          <table data-testid="users">
            <thead><tr><th scope="col">{d("adm.name")}</th><th scope="col">{d("adm.email")}</th><th scope="col">{d("adm.role")}</th><th scope="col">{d("adm.unit")}</th><th scope="col">{d("adm.active")}</th><th scope="col">{d("adm.reset")}</th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid="user-row">
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>
                    <select aria-label={`${d("adm.role")} ${u.name}`} value={u.role} disabled={u.id === me.user.id} onChange={(e) => void patch(u, { role: e.currentTarget.value })}>
                      {ROLES.map((r) => <option key={r} value={r}>{d(`role.${r}`)}</option>)}
                    </select>
                  </td>
                  <td>
                    <select aria-label={`${d("adm.unit")} ${u.name}`} value={u.org_unit_ids[0] ?? ""} onChange={(e) => void patch(u, { org_unit_ids: e.currentTarget.value ? [e.currentTarget.value] : [] })}>
                      <option value="">—</option>
                      {units.map((x) => <option key={x.id} value={x.id}>{unitName(x.id)}</option>)}
                    </select>
                  </td>
                  <td>
                    {u.active ? `✓ ${d("common.yes")}` : `✗ ${d("common.no")}`}{" "}
                    {u.id === me.user.id ? null : (
                      <button class="btn" onClick={() => void patch(u, { active: !u.active })}>{u.active ? d("adm.disable") : d("adm.enable")}</button>
                    )}
                  </td>
                  <td class="row">
                    <input type="password" autocomplete="new-password" aria-label={d("adm.new_password", { name: u.name })} minLength={12} maxLength={200}
                      value={pw[u.id] ?? ""} onInput={(e) => setPw({ ...pw, [u.id]: e.currentTarget.value })} />
                    <button class="btn" disabled={(pw[u.id] ?? "").length < 12} onClick={() => void patch(u, { password: pw[u.id] }).then(() => setPw({ ...pw, [u.id]: "" }))}>{d("adm.reset")}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </div>
      ) : current === "devices" ? (
        <table data-testid="devices">
          <thead><tr><th scope="col">{d("adm.name")}</th><th scope="col">{d("adm.owner")}</th><th scope="col">{d("adm.unit")}</th><th scope="col">{d("adm.last_sync")}</th><th scope="col">{d("adm.revoked")}</th></tr></thead>
          <tbody>
            {devices.map((x) => (
              <tr key={x.id} data-testid="device-row">
                <td>{x.name} {x.platform ? `(${x.platform})` : ""}</td>
                <td>{owner(x.user_id)}</td>
                <td>{ownerUnits(x.user_id)}</td>
                <td>{x.last_seen_at ? when(x.last_seen_at) : d("adm.never")}</td>
                <td>{x.revoked_at ? `✗ ${when(x.revoked_at)}` : (
                  <button class="btn" onClick={() => void act(() => call(`/devices/${x.id}/revoke`, { method: "POST" }))}>{d("adm.revoke")}</button>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <div class="split">
          <table data-testid="units">
            <thead><tr><th scope="col">{d("adm.code")}</th><th scope="col">{d("adm.level")}</th><th scope="col">{d("adm.name_en")}</th><th scope="col">{d("adm.name_zh")}</th><th scope="col">{d("adm.parent")}</th></tr></thead>
            <tbody>
              {units.map((x) => (
                <tr key={x.id}>
                  <td>{x.code}</td>
                  <td>{d(`level.${x.level}`)}</td>
                  <td><input aria-label={`${d("adm.name_en")} ${x.code}`} value={x.name_en} onChange={(e) => void act(() => call(`/org-units/${x.id}`, { method: "PATCH", json: { name_en: e.currentTarget.value } }))} /></td>
                  <td><input aria-label={`${d("adm.name_zh")} ${x.code}`} value={x.name_zh} onChange={(e) => void act(() => call(`/org-units/${x.id}`, { method: "PATCH", json: { name_zh: e.currentTarget.value } }))} /></td>
                  <td>{x.parent_id ? unitName(x.parent_id) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <form class="panel form" aria-labelledby="h-un" onSubmit={(e) => {
            e.preventDefault();
            void act(() => call("/org-units", { json: { ...un, parent_id: un.parent_id || null } }));
          }}>
            <h2 id="h-un">{d("adm.create_unit")}</h2>
            <label>{d("adm.code")}<input required pattern="[A-Za-z0-9_-]{1,32}" value={un.code} onInput={(e) => setUn({ ...un, code: e.currentTarget.value })} data-testid="un-code" /></label>
            <label>{d("adm.level")}<select value={un.level} onChange={(e) => setUn({ ...un, level: e.currentTarget.value })}>{["national", "province", "district"].map((l) => <option key={l} value={l}>{d(`level.${l}`)}</option>)}</select></label>
            <label>{d("adm.parent")}<select value={un.parent_id} onChange={(e) => setUn({ ...un, parent_id: e.currentTarget.value })} data-testid="un-parent"><option value="">—</option>{units.filter((x) => x.level !== "district").map((x) => <option key={x.id} value={x.id}>{unitName(x.id)}</option>)}</select></label>
            <label>{d("adm.name_en")}<input required value={un.name_en} onInput={(e) => setUn({ ...un, name_en: e.currentTarget.value })} data-testid="un-en" /></label>
            <label>{d("adm.name_zh")}<input required value={un.name_zh} onInput={(e) => setUn({ ...un, name_zh: e.currentTarget.value })} data-testid="un-zh" /></label>
            <button class="btn primary" type="submit" data-testid="un-create">{d("adm.create_unit")}</button>
          </form>
        </div>
      )}
    </div>
  );
}

// Start an inspection: establishment, type, team, and a checklist (applicable ones suggested first).
import { useEffect, useState } from "preact/hooks";
import { checklistApplies } from "../applicability";
import { GpsStatus } from "../components/GpsStatus";
import { getAll, getMeta, getOne } from "../db";
import { fixWithin } from "../geo";
import { navigate, useLive } from "../hooks";
import { t, tx } from "../i18n";
import { createInspection } from "../records";
import { refreshColleagues } from "../reference";
import type { ChecklistRecord, Colleague, Device, Establishment, InspectionType } from "../types";

const TYPES: InspectionType[] = ["planned", "complaint", "accident", "follow_up", "campaign"];

export function StartInspection({ establishmentId, device }: { establishmentId?: string; device: Device }) {
  const data = useLive(async () => {
    const [establishment, checklists, colleagues] = await Promise.all([
      establishmentId ? getOne<Establishment>("establishments", establishmentId) : Promise.resolve(undefined),
      getAll<ChecklistRecord>("checklists"),
      getMeta<Colleague[]>("colleagues"),
    ]);
    return { establishment, checklists, colleagues: (colleagues ?? []).filter((c) => c.id !== device.user.id) };
  }, [establishmentId]);
  useEffect(() => void refreshColleagues().catch(() => undefined), []); // offline: the list kept from the last sync
  const [type, setType] = useState<InspectionType>("planned");
  const [team, setTeam] = useState<string[]>([]);
  const [choice, setChoice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!data) return <p>{t("common.loading")}</p>;
  const e = data.establishment;
  if (!e) {
    return (
      <div class="card">
        <p>{t("start.pick_establishment")}</p>
        <a class="btn primary" href="#/establishments">
          {t("nav.establishments")}
        </a>
      </div>
    );
  }
  // Newest version of each checklist; applicable ones first.
  const newest = new Map<string, ChecklistRecord>();
  for (const c of data.checklists) if ((newest.get(c.key)?.version ?? 0) < c.version) newest.set(c.key, c);
  const list = [...newest.values()].map((c) => ({ c, suggested: checklistApplies(c.definition, e) }));
  list.sort((a, b) => Number(b.suggested) - Number(a.suggested) || tx(a.c.title).localeCompare(tx(b.c.title)));
  const selected = choice ?? list.find((x) => x.suggested)?.c.ref ?? null;
  const start = async () => {
    if (!selected) return;
    setBusy(true);
    try {
      const gps = await fixWithin(4000);
      const members = team.filter((id) => data.colleagues.some((c) => c.id === id));
      const inspection = await createInspection({
        establishment: e,
        checklist: selected,
        type,
        team: Array.from(new Set([device.user.id, ...members])),
        lead: device.user.id,
        gps,
      });
      navigate(`inspections/${inspection.id}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="stack">
      <h1>{t("start.title")}</h1>
      <p class="card">
        <strong>{e.name}</strong> · ISIC {e.isic} ·{" "}
        {t("est.workforce_detail", { total: e.workers_total, women: e.workers_women, young: e.workers_under_18 })}
      </p>
      <fieldset class="card">
        <legend>{t("start.type")}</legend>
        <div class="choices">
          {TYPES.map((value) => (
            <label key={value} class={`choice ${type === value ? "on" : ""}`}>
              <input type="radio" name="type" value={value} checked={type === value} onChange={() => setType(value)} />
              {t(`type.${value}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset class="card" data-testid="team">
        <legend>{t("start.team_pick")}</legend>
        {data.colleagues.length ? (
          <div class="choices">
            {data.colleagues.map((c) => (
              <label key={c.id} class={`choice ${team.includes(c.id) ? "on" : ""}`}>
                <input
                  type="checkbox"
                  checked={team.includes(c.id)}
                  onChange={(ev) =>
                    setTeam(ev.currentTarget.checked ? [...team, c.id] : team.filter((id) => id !== c.id))
                  }
                />
                {c.name} <span class="muted">{t(`role.${c.role}`)}</span>
              </label>
            ))}
          </div>
        ) : (
          <p class="muted">{t("start.no_colleagues")}</p>
        )}
      </fieldset>
      <fieldset class="card">
        <legend>{t("start.checklist")}</legend>
        <div class="stack">
          {list.map(({ c, suggested }) => (
            <label key={c.ref} class={`choice wide ${selected === c.ref ? "on" : ""}`}>
              <input type="radio" name="checklist" checked={selected === c.ref} onChange={() => setChoice(c.ref)} />
              <span>
                {tx(c.title)} <span class="muted">v{c.version}</span>
                {suggested ? <span class="tag">{t("start.suggested")}</span> : null}
              </span>
            </label>
          ))}
          {!list.length ? <p class="muted">{t("start.no_checklists")}</p> : null}
        </div>
      </fieldset>
      <GpsStatus />
      <button class="btn primary" disabled={busy || !selected} onClick={start} data-testid="start">
        {busy ? t("start.locating") : t("start.submit")}
      </button>
    </div>
  );
}

// An establishment's profile and its past inspections (on the device, and from the server when online).
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api";
import { getAll, getOne } from "../db";
import { useLive } from "../hooks";
import { t } from "../i18n";
import type { Establishment, Inspection } from "../types";
import { InspectionRow } from "./Home";

interface ServerInspection {
  id: string;
  type?: string;
  status?: string;
  started_at?: string | null;
  created_at?: string;
}

export function EstablishmentProfile({ id }: { id: string }) {
  const data = useLive(async () => {
    const [establishment, inspections] = await Promise.all([
      getOne<Establishment>("establishments", id),
      getAll<Inspection>("inspections"),
    ]);
    return { establishment, inspections: inspections.filter((i) => i.establishment_id === id) };
  }, [id]);
  const [remote, setRemote] = useState<ServerInspection[] | null>(null);
  useEffect(() => {
    if (!navigator.onLine) return;
    getJson<{ items: ServerInspection[] }>(`/inspections?establishment_id=${encodeURIComponent(id)}&limit=20`).then(
      (page) => setRemote(page.items),
      () => setRemote(null),
    );
  }, [id]);
  if (!data) return <p>{t("common.loading")}</p>;
  const e = data.establishment;
  if (!e) return <p>{t("est.not_found")}</p>;
  const localIds = new Set(data.inspections.map((i) => i.id));
  return (
    <div class="stack">
      <div class="row spread">
        <h1>{e.name}</h1>
        <a class="btn primary" href={`#/start/${e.id}`} data-testid="start-inspection">
          {t("est.start")}
        </a>
      </div>
      <dl class="card facts">
        <dt>{t("est.registration")}</dt>
        <dd>{e.registration_number}</dd>
        <dt>{t("est.address")}</dt>
        <dd>{e.address}</dd>
        <dt>ISIC</dt>
        <dd>{e.isic}</dd>
        <dt>{t("est.workforce")}</dt>
        <dd>
          {t("est.workforce_detail", { total: e.workers_total, women: e.workers_women, young: e.workers_under_18 })}
        </dd>
        <dt>{t("est.contact")}</dt>
        <dd>
          {e.contact_name ?? "—"} {e.contact_phone ?? ""}
        </dd>
      </dl>
      <section class="card">
        <h2>{t("est.past")}</h2>
        <ul class="list">
          {data.inspections.map((i) => (
            <InspectionRow key={i.id} inspection={i} establishment={e} />
          ))}
          {(remote ?? [])
            .filter((r) => !localIds.has(r.id))
            .map((r) => (
              <li key={r.id} class="rowlink">
                <span>
                  {r.type ? t(`type.${r.type}`) : ""} · {r.status ?? ""} · {(r.started_at ?? r.created_at ?? "").slice(0, 10)}
                </span>
              </li>
            ))}
        </ul>
        {!data.inspections.length && !remote?.length ? <p class="muted">{t("est.no_past")}</p> : null}
      </section>
    </div>
  );
}

// An establishment's profile, its past inspections (on the device, pulled `history`, and from the server when
// online) and its open orders (pulled `action` rows).
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api";
import { getAll, getOne } from "../db";
import { useLive } from "../hooks";
import { t } from "../i18n";
import type { Action, Establishment, Inspection } from "../types";
import { InspectionRow } from "./Home";

// Orders still to be complied with (issue 17: the sweep marks them overdue, a supervisor escalates them).
const UNFINISHED = new Set(["open", "overdue", "escalated"]);

interface ServerInspection {
  id: string;
  type?: string;
  status?: string;
  started_at?: string | null;
  created_at?: string;
}

export function EstablishmentProfile({ id }: { id: string }) {
  const data = useLive(async () => {
    const [establishment, inspections, actions] = await Promise.all([
      getOne<Establishment>("establishments", id),
      getAll<Inspection>("inspections"),
      getAll<Action>("actions"),
    ]);
    const mine = inspections.filter((i) => i.establishment_id === id);
    const ids = new Set(mine.map((i) => i.id));
    const orders = actions
      .filter((a) => a.measure !== "advice" && UNFINISHED.has(a.status ?? "open"))
      .filter((a) => a.establishment_id === id || (!a.establishment_id && ids.has(a.inspection_id)))
      .sort((a, b) => ((a.deadline ?? "9") < (b.deadline ?? "9") ? -1 : 1));
    return { establishment, inspections: mine, orders };
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
  const history = (e?.history ?? []).filter((h) => !localIds.has(h.inspection_id));
  const shown = new Set([...localIds, ...history.map((h) => h.inspection_id)]);
  return (
    <div class="stack">
      <div class="row spread">
        <h1>{e.name}</h1>
        <a class="btn primary" href={`#/start/${e.id}`} data-testid="start-inspection">
          {t("est.start")}
        </a>
        <a class="btn" href={`#/complaint/${e.id}`} data-testid="record-complaint">
          {t("complaint.record")}
        </a>
        <a class="btn" href={`#/accident/${e.id}`} data-testid="report-accident">
          {t("accident.report")}
        </a>
        <a class="btn" href={`#/disease/${e.id}`} data-testid="report-disease">
          {t("disease.report")}
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
          {history.map((h) => (
            <li key={h.inspection_id} class="rowlink" data-testid="history">
              <span>
                {t(`type.${h.type}`)} · {h.status} · {t("est.revision", { n: h.revision })} · {h.visited_on ?? ""}
              </span>
            </li>
          ))}
          {(remote ?? [])
            .filter((r) => !shown.has(r.id))
            .map((r) => (
              <li key={r.id} class="rowlink">
                <span>
                  {r.type ? t(`type.${r.type}`) : ""} · {r.status ?? ""} · {(r.started_at ?? r.created_at ?? "").slice(0, 10)}
                </span>
              </li>
            ))}
        </ul>
        {!data.inspections.length && !history.length && !remote?.length ? <p class="muted">{t("est.no_past")}</p> : null}
      </section>
      <section class="card">
        <h2>{t("est.open_orders")}</h2>
        {data.orders.length ? (
          <ul class="list orders" data-testid="open-orders">
            {data.orders.map((a) => (
              <li key={a.id}>
                <strong>{t(`measure.${a.measure}`)}</strong>
                <span>{a.text}</span>
                {a.deadline ? <span>{t("est.deadline", { date: a.deadline.slice(0, 10) })}</span> : null}
                {a.status === "overdue" || a.status === "escalated" ? (
                  <span class="badge warn">{t(`action.status.${a.status}`)}</span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t("est.no_open_orders")}</p>
        )}
      </section>
    </div>
  );
}

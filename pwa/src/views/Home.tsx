// Home: today's assigned and draft inspections, returned items, open conflicts.
import { getAll, tx as dbTx } from "../db";
import { useLive } from "../hooks";
import { formatTime, t } from "../i18n";
import type { Conflict, Device, Establishment, Inspection, Outcome } from "../types";

export function InspectionRow({ inspection, establishment }: { inspection: Inspection; establishment?: Establishment }) {
  return (
    <li>
      <a class="rowlink" href={`#/inspections/${inspection.id}`}>
        <strong>{establishment?.name ?? inspection.establishment_id}</strong>
        <span>
          {t(`type.${inspection.type}`)} · {inspection.checklist} · {String(inspection.header.visit_date ?? "")}
        </span>
        <span class={`status ${inspection.status}`}>{t(`status.${inspection.status}`)}</span>
      </a>
    </li>
  );
}

export function Home({ device }: { device: Device }) {
  const data = useLive(async () => {
    const [inspections, establishments, outcomes, conflicts] = await Promise.all([
      getAll<Inspection>("inspections"),
      getAll<Establishment>("establishments"),
      getAll<Outcome>("outcomes"),
      getAll<Conflict>("conflicts"),
    ]);
    return {
      inspections: inspections.sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1)),
      establishments: new Map(establishments.map((e) => [e.id, e])),
      returned: outcomes.filter((o) => !o.dismissed),
      conflicts: conflicts.filter((c) => c.status === "open"),
    };
  }, []);
  if (!data) return <p>{t("common.loading")}</p>;
  const today = new Date().toISOString().slice(0, 10);
  const mine = data.inspections.filter((i) => i.status !== "submitted" || i.header.visit_date === today);
  const assigned = mine.filter((i) => i.lead !== device.user.id);
  const drafts = mine.filter((i) => i.lead === device.user.id);
  const dismiss = (o: Outcome) =>
    dbTx(["outcomes"], "readwrite", (t) => void t.objectStore("outcomes").put({ ...o, dismissed: true }));
  return (
    <div class="stack">
      <div class="row spread">
        <h1>{t("home.title", { name: device.user.name })}</h1>
        <a class="btn primary" href="#/establishments">
          {t("home.start")}
        </a>
      </div>
      <section class="card">
        <h2>{t("home.drafts")}</h2>
        {drafts.length ? (
          <ul class="list" data-testid="drafts">
            {drafts.map((i) => (
              <InspectionRow key={i.id} inspection={i} establishment={data.establishments.get(i.establishment_id)} />
            ))}
          </ul>
        ) : (
          <p class="muted">{t("home.no_drafts")}</p>
        )}
      </section>
      <section class="card">
        <h2>{t("home.assigned")}</h2>
        {assigned.length ? (
          <ul class="list">
            {assigned.map((i) => (
              <InspectionRow key={i.id} inspection={i} establishment={data.establishments.get(i.establishment_id)} />
            ))}
          </ul>
        ) : (
          <p class="muted">{t("home.no_assigned")}</p>
        )}
      </section>
      <section class="card">
        <h2>{t("home.returned")}</h2>
        {data.returned.length ? (
          <ul class="list">
            {data.returned.map((o) => (
              <li key={o.seq} class="returned">
                <span>
                  <strong>{t(`outcome.${o.outcome}`)}</strong> {o.name} · {o.reason ?? ""} {o.detail ?? ""} ·{" "}
                  {formatTime(o.at)}
                </span>
                <button class="btn" onClick={() => dismiss(o)}>
                  {t("common.dismiss")}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t("home.no_returned")}</p>
        )}
      </section>
      <section class="card">
        <h2>{t("home.conflicts")}</h2>
        {data.conflicts.length ? (
          <a class="btn" href="#/conflicts">
            {t("home.conflicts_open", { n: data.conflicts.length })}
          </a>
        ) : (
          <p class="muted">{t("home.no_conflicts")}</p>
        )}
      </section>
    </div>
  );
}

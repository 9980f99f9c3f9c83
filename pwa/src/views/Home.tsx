// Home: inspections returned for correction, today's assigned and draft inspections, refused items, conflicts.
import { getAll, tx as dbTx } from "../db";
import { useLive } from "../hooks";
import { formatTime, t } from "../i18n";
import type { Conflict, Device, Establishment, Inspection, Outcome } from "../types";

/** Returned for correction by a supervisor: a draft again, with the comment (PROTOCOL.md §5). */
export const returned = (i: Inspection) => i.review?.decision === "return" && i.status !== "submitted";
export const approved = (i: Inspection) => i.review?.decision === "approve" && i.status === "submitted";

const label = (i: Inspection) => (approved(i) ? "approved" : returned(i) && i.status === "draft" ? "to_correct" : i.status);

export function InspectionRow({ inspection, establishment }: { inspection: Inspection; establishment?: Establishment }) {
  return (
    <li>
      <a class="rowlink" href={`#/inspections/${inspection.id}`}>
        <strong>{establishment?.name ?? inspection.establishment_id}</strong>
        <span>
          {t(`type.${inspection.type}`)} · {inspection.checklist} · {String(inspection.header.visit_date ?? "")}
        </span>
        {returned(inspection) ? (
          <span class="comment" data-testid="return-comment">
            {t("review.returned_comment", { comment: inspection.review!.comment })}
          </span>
        ) : null}
        <span class={`status ${label(inspection)}`}>{t(`status.${label(inspection)}`)}</span>
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
  const corrections = data.inspections.filter(returned);
  const open = mine.filter((i) => !returned(i));
  // Assigned: led by someone else, or created for me by someone else (a supervisor's assignment over REST).
  const isAssigned = (i: Inspection) => i.lead !== device.user.id || (!!i.author && i.author !== device.user.id);
  const assigned = open.filter(isAssigned);
  const drafts = open.filter((i) => !isAssigned(i));
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
      {corrections.length ? (
        <section class="card attention">
          <h2>{t("home.corrections")}</h2>
          <ul class="list" data-testid="corrections">
            {corrections.map((i) => (
              <InspectionRow key={i.id} inspection={i} establishment={data.establishments.get(i.establishment_id)} />
            ))}
          </ul>
        </section>
      ) : null}
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
          <ul class="list" data-testid="assigned">
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

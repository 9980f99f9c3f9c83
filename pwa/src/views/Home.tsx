// Home: inspections returned for correction, today's assigned and draft inspections, refused items, conflicts.
import { getAll } from "../db";
import { useLive } from "../hooks";
import { formatTime, t } from "../i18n";
import { explain, inspectionOf, retakeOf, workplaceOf } from "../refusals";
import { dismissOutcome, refusalCode, voidsRefused } from "../sync";
import { todayAt } from "../today";
import type { Action, Conflict, Device, Establishment, Inspection, LocalNotice, Outcome } from "../types";

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

const RETAKE: Record<string, string> = {
  "accident.report": "refusal.retake_accident",
  "disease.report": "refusal.retake_disease",
};

/** A change the server refused after sync: what, why and what to do, in plain words, with a link to the record. */
function Refusal({
  outcome,
  establishments,
  inspections,
  notices,
  actions,
  onDismiss,
}: {
  outcome: Outcome;
  establishments: Map<string, Establishment>;
  inspections: Map<string, Inspection>;
  notices: Map<string, LocalNotice>;
  actions: Map<string, Action>;
  onDismiss: () => void;
}) {
  const { what, why, n } = explain(outcome);
  // A refused notice: its number is named (a paper copy may be with the employer) and voided on the server.
  const notice = outcome.name === "notice.issue" ? notices.get(String(outcome.args.notice_id)) : undefined;
  const action = notice?.action_id ? actions.get(notice.action_id) : undefined;
  const id = inspectionOf(outcome) ?? action?.inspection_id ?? null;
  const inspection = id ? inspections.get(id) : undefined;
  const place = inspection
    ? (establishments.get(inspection.establishment_id)?.name ?? "")
    : workplaceOf(outcome, establishments);
  const retake = retakeOf(outcome);
  return (
    <li class="refusal" data-testid="refusal">
      <div>
        <strong>{t(what)}</strong>
        {place ? ` · ${place}` : ""}
        {outcome.name === "notice.issue" ? (
          <p class="refused-notice" data-testid="refused-notice">
            <strong>
              {t(voidsRefused(refusalCode(outcome)) ? "refusal.notice.voided" : "refusal.notice.refused", {
                number: notice?.number ?? String(outcome.args.serial ?? ""),
                code: refusalCode(outcome),
              })}
            </strong>
          </p>
        ) : (
          <p>{t(why, { n })}</p>
        )}
        <span class="muted">{formatTime(outcome.at)}</span>
      </div>
      <div class="row">
        {inspection ? (
          <a class="btn" href={`#/inspections/${inspection.id}/review`}>
            {t("refusal.open")}
          </a>
        ) : null}
        {retake ? (
          <a class="btn" href={retake} data-testid="refusal-retake">
            {t(RETAKE[outcome.name] ?? "refusal.retake_complaint")}
          </a>
        ) : null}
        <button class="btn" onClick={onDismiss}>
          {t("common.dismiss")}
        </button>
      </div>
    </li>
  );
}

export function Home({ device }: { device: Device }) {
  const data = useLive(async () => {
    const [inspections, establishments, outcomes, conflicts, notices, actions] = await Promise.all([
      getAll<Inspection>("inspections"),
      getAll<Establishment>("establishments"),
      getAll<Outcome>("outcomes"),
      getAll<Conflict>("conflicts"),
      getAll<LocalNotice>("notices"),
      getAll<Action>("actions"),
    ]);
    // Refused notices first: a number the employer may hold is void.
    const first = (o: Outcome) => Number(o.name !== "notice.issue");
    return {
      inspections: inspections.sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1)),
      byId: new Map(inspections.map((i) => [i.id, i])),
      establishments: new Map(establishments.map((e) => [e.id, e])),
      returned: outcomes.filter((o) => !o.dismissed).sort((a, b) => first(a) - first(b)),
      notices: new Map(notices.map((n) => [n.id, n])),
      actions: new Map(actions.map((a) => [a.id, a])),
      conflicts: conflicts.filter((c) => c.status === "open"),
    };
  }, []);
  if (!data) return <p>{t("common.loading")}</p>;
  // A submitted visit stays on the list the day it was made, in its establishment's time zone.
  const today = (i: Inspection) => todayAt(data.establishments.get(i.establishment_id));
  const mine = data.inspections.filter((i) => i.status !== "submitted" || i.header.visit_date === today(i));
  const corrections = data.inspections.filter(returned);
  const open = mine.filter((i) => !returned(i));
  // Assigned: led by someone else, or created for me by someone else (a supervisor's assignment over REST).
  const isAssigned = (i: Inspection) => i.lead !== device.user.id || (!!i.author && i.author !== device.user.id);
  const assigned = open.filter(isAssigned);
  const drafts = open.filter((i) => !isAssigned(i));
  const dismiss = (o: Outcome) => dismissOutcome(o);
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
      <section class={`card${data.returned.length ? " attention" : ""}`} aria-labelledby="refused">
        <h2 id="refused">{t("home.returned")}</h2>
        {data.returned.length ? (
          <ul class="list" data-testid="refusals">
            {data.returned.map((o) => (
              <Refusal key={o.seq} outcome={o} establishments={data.establishments} inspections={data.byId} notices={data.notices} actions={data.actions} onDismiss={() => dismiss(o)} />
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

// One checklist item: question, guidance and legal basis on tap, the answer, and (on demand) note,
// workers affected and photos. Re-renders only when its own finding or photos change.
import { Component } from "preact";
import { tx as text, t } from "../i18n";
import { recordFinding } from "../records";
import type { ChecklistItem, Finding, FindingStatus, Inspection, Lang, Photo } from "../types";
import { PhotoStrip } from "./PhotoStrip";
import { toCount, toNumber, TypedInput } from "./TypedInput";

const ANSWERS: FindingStatus[] = ["compliant", "non_compliant", "not_applicable", "not_checked"];

interface Props {
  item: ChecklistItem;
  number: string;
  inspection: Inspection;
  finding: Finding | undefined;
  photos: Photo[];
  lang: Lang;
  locked: boolean;
}

interface State {
  guidance: boolean;
  details: boolean;
}

/** The supervisor's comment on this item when the inspection was returned (PROTOCOL.md §5), if any. */
function reviewComment(inspection: Props["inspection"], itemId: string): string | null {
  const review = inspection.review;
  if (!review || review.decision !== "return") return null;
  return review.finding_comments?.find((c) => c.item_id === itemId)?.comment ?? null;
}

export class ItemCard extends Component<Props, State> {
  state: State = { guidance: false, details: false };

  shouldComponentUpdate(next: Props, nextState: State): boolean {
    const p = this.props;
    return (
      next.finding?.updated_at !== p.finding?.updated_at ||
      next.finding?.version !== p.finding?.version ||
      next.photos.length !== p.photos.length ||
      next.photos.some((ph, i) => ph.uploaded !== p.photos[i]?.uploaded) ||
      next.lang !== p.lang ||
      next.locked !== p.locked ||
      next.inspection.version !== p.inspection.version ||
      nextState.guidance !== this.state.guidance ||
      nextState.details !== this.state.details
    );
  }

  render({ item, number, inspection, finding, photos, locked, lang }: Props, { guidance, details }: State) {
    const status = finding?.fields.status;
    const record = (fields: Parameters<typeof recordFinding>[2]) => void recordFinding(inspection, item.id, fields);
    const workers = finding?.workers ?? { men: 0, women: 0, under_18: 0 };
    const open = details || status === "non_compliant";
    const id = `item-${item.id}`;
    return (
      <article class={`item ${status ?? "open"}`} data-testid="item-card" data-item={item.id} aria-labelledby={id}>
        <div class="q">
          <span class="n">{number}</span>
          <h3 id={id}>{text(item.text)}</h3>
          <span class={`sev ${item.severity}`}>{t(`severity.${item.severity}`)}</span>
        </div>
        {reviewComment(inspection, item.id) ? (
          <p class="review-comment" role="note" data-testid="finding-comment">
            <strong>{t("review.finding_comment")}</strong> {reviewComment(inspection, item.id)}
          </p>
        ) : null}
        <button
          class="link"
          aria-expanded={guidance}
          onClick={() => this.setState({ guidance: !guidance })}
        >
          {t("item.guidance")}
        </button>
        {guidance ? (
          <div class="guidance">
            <p>{text(item.guidance)}</p>
            <p class="legal">
              {t("item.legal_basis")}:{" "}
              {item.citations
                ? item.citations.map((c, i) => (
                    <span key={`${c.instrument}-${c.article}`} class={c.benchmark ? "cite benchmark" : "cite"}>
                      {i > 0 ? (lang === "zh" ? "；" : "; ") : ""}
                      {text(c.line)}
                    </span>
                  ))
                : item.legal_basis.map((b) => `${b.instrument} art. ${b.article}`).join("; ")}
            </p>
            {item.offered_measure ? (
              <p class="usual-measure" data-testid="usual-measure">
                {t("item.usual_measure")}:{" "}
                {item.offered_measure.referral_to
                  ? text(item.offered_measure.referral_to)
                  : t(`measure.${item.offered_measure.type}`)}
              </p>
            ) : null}
          </div>
        ) : null}
        <div class="answers" role="group" aria-label={t("item.answer")}>
          {ANSWERS.map((a) => (
            <button
              key={a}
              class={`ans ${a}`}
              aria-pressed={status === a}
              disabled={locked}
              onClick={() => record({ status: a })}
            >
              {t(`answer.${a}`)}
            </button>
          ))}
        </div>
        {item.answer_type !== "compliance" ? (
          <label class="value">
            {t("item.value")} {item.unit ? `(${item.unit})` : ""}
            {item.answer_type === "choice" ? (
              <select
                disabled={locked}
                value={String(finding?.fields.value ?? "")}
                onChange={(e) => record({ value: e.currentTarget.value })}
              >
                <option value="">—</option>
                {(item.choices ?? []).map((c) => (
                  <option key={c.en} value={c.en}>
                    {text(c)}
                  </option>
                ))}
              </select>
            ) : (
              <TypedInput
                inspectionId={inspection.id}
                itemId={item.id}
                field="value"
                type={item.answer_type === "number" ? "number" : "text"}
                disabled={locked}
                stored={finding?.fields.value == null ? "" : String(finding.fields.value)}
                convert={item.answer_type === "number" ? toNumber : undefined}
              />
            )}
          </label>
        ) : null}
        <button class="link" aria-expanded={open} onClick={() => this.setState({ details: !details })}>
          {t("item.details", { n: photos.length })}
        </button>
        {open ? (
          <div class="details">
            <label>
              {t("item.note")}
              <TypedInput
                inspectionId={inspection.id}
                itemId={item.id}
                field="remark"
                multiline
                disabled={locked}
                stored={finding?.fields.remark ?? ""}
              />
            </label>
            <fieldset class="workers">
              <legend>{t("item.workers_affected")}</legend>
              <label class="num">
                {t("workers.men")}
                <TypedInput
                  inspectionId={inspection.id}
                  itemId={item.id}
                  field="men"
                  type="number"
                  min={0}
                  disabled={locked}
                  stored={String(workers.men)}
                  convert={toCount}
                />
              </label>
              <label class="num">
                {t("workers.women")}
                <TypedInput
                  inspectionId={inspection.id}
                  itemId={item.id}
                  field="women"
                  type="number"
                  min={0}
                  disabled={locked}
                  stored={String(workers.women)}
                  convert={toCount}
                />
              </label>
              <label class="num">
                {t("workers.under_18")}
                <TypedInput
                  inspectionId={inspection.id}
                  itemId={item.id}
                  field="under_18"
                  type="number"
                  min={0}
                  disabled={locked}
                  stored={String(workers.under_18)}
                  convert={toCount}
                />
              </label>
            </fieldset>
            <PhotoStrip inspection={inspection} itemId={item.id} photos={photos} locked={locked} />
            {item.evidence_required && status === "non_compliant" && !photos.length ? (
              <p class="warn">{t("item.evidence_required")}</p>
            ) : null}
          </div>
        ) : null}
      </article>
    );
  }
}

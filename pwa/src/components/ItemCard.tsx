// One checklist item: question, guidance and legal basis on tap, the answer, and (on demand) note,
// workers affected and photos. Re-renders only when its own finding or photos change.
import { Component } from "preact";
import { useState } from "preact/hooks";
import { tx as text, t } from "../i18n";
import { recordFinding, setWorkers } from "../records";
import type { ChecklistItem, Finding, FindingStatus, Inspection, Lang, Photo } from "../types";
import { PhotoStrip } from "./PhotoStrip";

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

function WorkersInput({ label, value, onChange, disabled }: { label: string; value: number; onChange: (n: number) => void; disabled: boolean }) {
  // What is being typed stays on screen: a re-render from another save must not reset the field mid-entry.
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <label class="num">
      {label}
      <input
        type="number"
        min={0}
        inputMode="numeric"
        value={draft ?? value}
        disabled={disabled}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onChange={(e) => {
          onChange(Math.max(0, Math.floor(Number(e.currentTarget.value)) || 0));
          setDraft(null);
        }}
      />
    </label>
  );
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
              <input
                type={item.answer_type === "number" ? "number" : "text"}
                disabled={locked}
                value={finding?.fields.value == null ? "" : String(finding.fields.value)}
                onChange={(e) => {
                  const raw = e.currentTarget.value;
                  record({ value: item.answer_type === "number" ? (raw === "" ? null : Number(raw)) : raw });
                }}
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
              <textarea
                rows={2}
                disabled={locked}
                value={finding?.fields.remark ?? ""}
                onChange={(e) => record({ remark: e.currentTarget.value })}
              />
            </label>
            <fieldset class="workers">
              <legend>{t("item.workers_affected")}</legend>
              <WorkersInput
                label={t("workers.men")}
                value={workers.men}
                disabled={locked}
                onChange={(n) => void setWorkers(inspection, item.id, { men: n })}
              />
              <WorkersInput
                label={t("workers.women")}
                value={workers.women}
                disabled={locked}
                onChange={(n) => void setWorkers(inspection, item.id, { women: n })}
              />
              <WorkersInput
                label={t("workers.under_18")}
                value={workers.under_18}
                disabled={locked}
                onChange={(n) => void setWorkers(inspection, item.id, { under_18: n })}
              />
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

// A measure's official notice on the tablet (issue 17): "Issue notice" takes the next number of this device's
// block for the district (offline too) and shows it; "Void" records a spoiled number with its reason. Both are
// sent once through the outbox. The block's state (numbers left, running out) is shown above the measures.
import { useEffect, useRef, useState } from "preact/hooks";
import { byIndex } from "../db";
import { useLive } from "../hooks";
import { t } from "../i18n";
import { blocksOf, issueNotice, LOW, NOTICE_MEASURES, remaining, voidNotice } from "../notices";
import type { Action, LocalNotice } from "../types";

/** How many notice numbers this tablet has left for the district, and a warning when they run out. */
export function NoticeBlockStatus({ unitId, year }: { unitId: string; year: number }) {
  const left = useLive(async () => remaining(await blocksOf(unitId), year), [unitId, year]);
  if (left === undefined) return null;
  const key = left === 0 ? "notice.none" : left <= LOW ? "notice.low" : "notice.left";
  return (
    <p role="status" class={left <= LOW ? "warn" : "muted"} data-testid="notice-block-status" data-left={left}>
      {t(key, { n: left })}
    </p>
  );
}

function VoidForm({ notice, done }: { notice: LocalNotice; done: () => void }) {
  const [reason, setReason] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) return;
    await voidNotice(notice, reason.trim());
    done();
  };
  return (
    <form class="stack" onSubmit={submit} data-testid="notice-void-form">
      <label>
        {t("notice.void_reason")}
        <input ref={input} required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      <div class="row">
        <button class="btn" type="submit">
          {t("notice.void_confirm")}
        </button>
        <button class="btn" type="button" onClick={done}>
          {t("notice.cancel")}
        </button>
      </div>
    </form>
  );
}

export function NoticeActions({ action, unitId, year }: { action: Action; unitId: string; year: number }) {
  const notices = useLive(() => byIndex<LocalNotice>("notices", "action", action.id), [action.id]);
  const left = useLive(async () => remaining(await blocksOf(unitId)), [unitId]); // any year's, as a last resort
  const [voiding, setVoiding] = useState(false);
  const line = useRef<HTMLParagraphElement>(null);
  if (!NOTICE_MEASURES.has(action.measure) || !notices) return null;
  const issued = notices.find((n) => n.status === "issued");
  const past = notices.filter((n) => n.status !== "issued").sort((a, b) => a.serial - b.serial);
  const issue = async () => {
    if (await issueNotice(action, unitId, year)) requestAnimationFrame(() => line.current?.focus());
  };
  return (
    <div class="stack" data-testid="notice" data-action={action.id}>
      {past.map((n) => (
        <p key={n.id} class="muted" data-testid={n.status === "voided" ? "notice-voided" : "notice-refused"}>
          {n.status === "voided"
            ? t("notice.voided", { number: n.number, reason: n.void_reason ?? "" })
            : t("notice.refused", { number: n.number })}
        </p>
      ))}
      {issued ? (
        <>
          <p tabIndex={-1} ref={line}>
            {t("notice.number")} <strong data-testid="notice-number">{issued.number}</strong>
            {issued.sha256 ? <span class="badge"> {t("notice.registered")}</span> : null}
          </p>
          {voiding ? (
            <VoidForm notice={issued} done={() => setVoiding(false)} />
          ) : (
            <button class="btn" type="button" onClick={() => setVoiding(true)}>
              {t("notice.void")}
            </button>
          )}
        </>
      ) : (
        <button class="btn primary" type="button" disabled={!left} onClick={() => void issue()}>
          {t("notice.issue")}
        </button>
      )}
    </div>
  );
}

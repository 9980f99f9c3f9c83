// A follow-up visit's measures to verify (pulled actions whose `verify_in` names this inspection), with their
// deadline and state: the inspector records complied or not complied once per measure, offline; the result goes
// through the outbox as `follow_up.result` in the same transaction that marks it recorded on the device. Only a
// draft visit takes results (the server's draft_check refuses one otherwise); after a tap, focus stays on the line.
import { useEffect, useRef, useState } from "preact/hooks";
import { getAll } from "../db";
import { recordFollowUp } from "../followup";
import { useLive } from "../hooks";
import { t } from "../i18n";
import type { Action, Inspection } from "../types";

function Check({ inspection, action }: { inspection: Inspection; action: Action }) {
  const [note, setNote] = useState("");
  const [tapped, setTapped] = useState(false);
  const recorded = useRef<HTMLParagraphElement>(null);
  const done = action.follow_up_result;
  const open = inspection.status === "draft";
  useEffect(() => {
    // The buttons just tapped are gone: keep keyboard focus on the line that says what was recorded (WCAG 2.4.3).
    if (!done || !tapped) return;
    recorded.current?.focus();
    setTapped(false);
  }, [done, tapped]);
  const record = (result: "complied" | "not_complied") => {
    setTapped(true);
    void recordFollowUp(inspection, action, result, note.trim());
  };
  return (
    <li class="card stack" data-testid="follow-up-check" data-action={action.id}>
      <p>
        <strong>{t(`measure.${action.measure}`)}</strong>
        {action.item_id ? ` · ${action.item_id}` : ""}
        {action.deadline ? ` · ${t("est.deadline", { date: action.deadline.slice(0, 10) })}` : ""}
        {action.status === "overdue" || action.status === "escalated" ? (
          <span class="badge warn"> {t(`action.status.${action.status}`)}</span>
        ) : null}
      </p>
      {action.text ? <p>{action.text}</p> : null}
      {done ? (
        <p data-testid="follow-up-recorded" tabIndex={-1} ref={recorded}>
          {t(`followup.${done}`)} ✓
        </p>
      ) : !open ? null : (
        <>
          <label>
            {t("followup.note")}
            <input value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <div class="row">
            <button class="btn primary" type="button" onClick={() => record("complied")}>
              {t("followup.complied")}
            </button>
            <button class="btn" type="button" onClick={() => record("not_complied")}>
              {t("followup.not_complied")}
            </button>
          </div>
        </>
      )}
    </li>
  );
}

export function FollowUpChecks({ inspection }: { inspection: Inspection }) {
  const checks = useLive(async () => (await getAll<Action>("actions")).filter((a) => a.verify_in === inspection.id || a.follow_up_in === inspection.id), [inspection.id]);
  if (!checks?.length) return null;
  return (
    <section class="stack" aria-labelledby="follow-up-title">
      <h2 id="follow-up-title">{t("followup.title")}</h2>
      <ul class="list">
        {checks.map((a) => (
          <Check key={a.id} inspection={inspection} action={a} />
        ))}
      </ul>
    </section>
  );
}

// A penalty decision's public disclosure at the desk (Administrative Penalty Law 2021, Art. 48): disclose a penalty
// that has its decision number (what is published is frozen with its SHA-256), see its status and hash, and
// withdraw it with the reason and a note that is published too. Native form controls: keyboard operable.
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../../api";
import { d } from "../strings";
import { Act } from "./Act";
import type { Desk } from "./deskapi";
import type { Action } from "./Enforcement";

interface Disclosure {
  disclosed_on: string;
  sha256: string;
  status: "disclosed" | "withdrawn";
  withdrawn_on: string | null;
  withdrawal_reason: string | null;
  withdrawal_note: string;
}
const REASONS = ["varied", "revoked", "declared_unlawful", "declared_void"];

export function Disclosure({ desk, a }: { desk: Desk; a: Action }) {
  const [shown, setShown] = useState<Disclosure | null | undefined>(undefined); // null: not disclosed
  const [reason, setReason] = useState("revoked");
  const [note, setNote] = useState("");
  const load = () =>
    desk.get<Disclosure>(`/actions/${a.id}/disclosure`).then(setShown, (e: unknown) =>
      setShown(e instanceof ApiError && e.status === 404 ? null : undefined),
    );
  useEffect(() => void load(), [a.id]);
  const box = `disclosure-${a.id}`;
  if (shown === undefined) return null;
  if (shown === null) {
    if (!a.decision_number) return <p class="muted" data-testid={box}>{d("disc.needs_number")}</p>;
    return (
      <div class="stack" data-testid={box}>
        <Act label={d("disc.disclose")} run={() => desk.post(`/actions/${a.id}/disclosure`, {})} done={() => void load()} testid={`disclose-${a.id}`} />
      </div>
    );
  }
  return (
    <div class="stack" data-testid={box} aria-live="polite">
      <p data-testid={`disclosure-status-${a.id}`}>
        {shown.status === "disclosed"
          ? d("disc.disclosed", { date: shown.disclosed_on })
          : d("disc.withdrawn", { date: shown.withdrawn_on ?? "—", reason: d(`disc.reason.${shown.withdrawal_reason ?? "revoked"}`) })}
        {shown.status === "withdrawn" && shown.withdrawal_note ? ` — ${shown.withdrawal_note}` : ""}
      </p>
      <p class="small">
        {d("disc.sha256")}: <code style="word-break: break-all" data-testid={`disclosure-sha-${a.id}`}>{shown.sha256}</code>
      </p>
      {shown.status === "disclosed" ? (
        <Act
          label={d("disc.withdraw")}
          run={() => desk.post(`/actions/${a.id}/disclosure/withdraw`, { reason, note })}
          done={() => void load()}
          testid={`withdraw-disclosure-${a.id}`}
          disabled={!note.trim()}
        >
          <label>
            {d("disc.reason")}
            <select value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid={`withdraw-reason-${a.id}`}>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {d(`disc.reason.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {d("disc.note")}
            <input value={note} onInput={(e) => setNote(e.currentTarget.value)} maxLength={2000} data-testid={`withdraw-note-${a.id}`} />
          </label>
        </Act>
      ) : null}
    </div>
  );
}

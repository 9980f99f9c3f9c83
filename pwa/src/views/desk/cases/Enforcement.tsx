// The desk's enforcement queue (#/desk/cases/enforcement): measures overdue, the sweep's escalation proposals
// (accept with the next measure, or dismiss with a reason), appeals pending and penalties unpaid, each measure
// with its history (who, when, why). Online only, like every desk screen; every control is a native form control.
import { useEffect, useState } from "preact/hooks";
import { d, when } from "../strings";
import { Act } from "./Act";
import { type Desk, today } from "./deskapi";
import { Appeals } from "./EnforcementAppeals";
import { Disclosure } from "./EnforcementDisclosure";

export interface Action {
  id: string;
  establishment_id: string;
  item_id: string | null;
  measure: string;
  text: string;
  deadline: string | null;
  status: string;
  overdue: boolean;
  proposed_measure: string | null;
  escalated_to_id: string | null;
  penalty_minor: number | null;
  currency: string | null;
  penalty_article: string;
  decision_number: string;
  payment_status: string | null;
  appeal_pending?: boolean;
}
interface Queue {
  overdue: Action[];
  escalation_proposals: Action[];
  appeals_pending: Action[];
  penalties_unpaid: Action[];
}
interface Event {
  kind: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  at: string;
  note: string;
}
const MEASURES = ["advice", "warning", "order_to_rectify", "stop_work", "penalty", "referral"];
const SECTIONS = ["overdue", "escalation_proposals", "appeals_pending", "penalties_unpaid"] as const;

export function money(a: Action): string {
  if (a.penalty_minor == null) return "—";
  return `${(a.penalty_minor / 100).toFixed(2)} ${a.currency ?? ""}`;
}

function History({ desk, id }: { desk: Desk; id: string }) {
  const [events, setEvents] = useState<Event[] | null>(null);
  useEffect(() => void desk.get<Event[]>(`/actions/${id}/history`).then(setEvents, () => setEvents([])), [id]);
  if (events === null) return <p>{d("common.loading")}</p>;
  return (
    <table data-testid={`history-${id}`}>
      <caption>{d("enf.history")}</caption>
      <thead>
        <tr>
          <th scope="col">{d("enf.when")}</th>
          <th scope="col">{d("enf.step")}</th>
          <th scope="col">{d("enf.who")}</th>
          <th scope="col">{d("enf.why")}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e, i) => (
          <tr key={i}>
            <td>{when(e.at)}</td>
            <td>
              {e.kind} → {d(`enf.status.${e.to_status}`)}
            </td>
            <td>{e.actor_id ? e.actor_id.slice(0, 8) : d("enf.sweep")}</td>
            <td>{e.note || "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Escalate({ desk, a, done }: { desk: Desk; a: Action; done: () => void }) {
  const [measure, setMeasure] = useState(a.proposed_measure ?? "penalty");
  const [amount, setAmount] = useState("");
  const [article, setArticle] = useState("");
  const [decision, setDecision] = useState("");
  const [reason, setReason] = useState("");
  const penalty = measure === "penalty";
  const run = () =>
    desk.post(`/actions/${a.id}/escalate`, {
      measure,
      ...(penalty
        ? { penalty_minor: Math.round(Number(amount) * 100), currency: "CNY", penalty_article: article, decision_number: decision, deadline_days: 15 }
        : {}),
      note: reason,
    });
  return (
    <div class="stack">
      <Act label={d("enf.accept")} run={run} done={done} testid={`escalate-${a.id}`} disabled={penalty && !(Number(amount) > 0)}>
        <label>
          {d("enf.next_measure")}
          <select value={measure} onChange={(e) => setMeasure(e.currentTarget.value)} data-testid={`escalate-measure-${a.id}`}>
            {MEASURES.map((m) => (
              <option key={m} value={m}>
                {d(`enf.measure.${m}`)}
              </option>
            ))}
          </select>
        </label>
        {penalty ? (
          <>
            <label>
              {d("enf.amount")}
              <input inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} data-testid={`penalty-amount-${a.id}`} />
            </label>
            <label>
              {d("enf.article")}
              <input value={article} onInput={(e) => setArticle(e.currentTarget.value)} data-testid={`penalty-article-${a.id}`} />
            </label>
            <label>
              {d("enf.decision_number")}
              <input value={decision} onInput={(e) => setDecision(e.currentTarget.value)} data-testid={`penalty-decision-${a.id}`} />
            </label>
          </>
        ) : null}
        <label>
          {d("enf.note")}
          <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
      </Act>
      <Act
        label={d("enf.dismiss")}
        run={() => desk.post(`/actions/${a.id}/escalation/dismiss`, { reason })}
        done={done}
        testid={`dismiss-${a.id}`}
        disabled={!reason.trim()}
      />
    </div>
  );
}

function Row({ desk, a, section, done }: { desk: Desk; a: Action; section: string; done: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <li class="card stack" data-testid={`${section}-${a.id}`}>
      <p>
        <strong>{d(`enf.measure.${a.measure}`)}</strong> · {a.item_id ?? ""} · {d(`enf.status.${a.status}`)}
        {a.overdue && a.status !== "overdue" ? ` · ${d("enf.overdue_flag")}` : ""} · {d("enf.deadline")}: {a.deadline ?? "—"}
        {a.proposed_measure ? ` · ${d("enf.proposed")}: ${d(`enf.measure.${a.proposed_measure}`)}` : ""}
      </p>
      {a.measure === "penalty" ? (
        <p data-testid={`penalty-${a.id}`}>
          {money(a)} · {a.penalty_article || "—"} · {a.decision_number || "—"} · {d(`enf.pay.${a.payment_status ?? "unpaid"}`)}
        </p>
      ) : null}
      {section === "escalation_proposals" ? <Escalate desk={desk} a={a} done={done} /> : null}
      {section === "penalties_unpaid" ? (
        <Act label={d("enf.record_paid")} run={() => desk.post(`/actions/${a.id}/payment`, { status: "paid", paid_on: today() })} done={done} testid={`paid-${a.id}`} />
      ) : null}
      <Appeals desk={desk} a={a} done={done} />
      {a.measure === "penalty" ? <Disclosure desk={desk} a={a} /> : null}
      <button class="btn" type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid={`show-history-${a.id}`}>
        {d("enf.history")}
      </button>
      {open ? <History desk={desk} id={a.id} /> : null}
    </li>
  );
}

export function Enforcement({ desk }: { desk: Desk }) {
  const [queue, setQueue] = useState<Queue | null>(null);
  const [error, setError] = useState(false);
  const load = () => desk.get<Queue>("/enforcement/queue").then(setQueue, () => setError(true));
  useEffect(() => void load(), []);
  if (error) return <p role="alert">{d("enf.load_failed")}</p>;
  if (queue === null) return <p>{d("common.loading")}</p>;
  return (
    <div class="stack" data-testid="enforcement">
      {SECTIONS.map((s) => (
        <section key={s} class="stack" aria-labelledby={`enf-${s}`}>
          <h2 id={`enf-${s}`}>
            {d(`enf.${s}`)} ({queue[s].length})
          </h2>
          {queue[s].length === 0 ? <p>{d("common.none")}</p> : null}
          <ul class="stack">
            {queue[s].map((a) => (
              <Row key={`${s}-${a.id}`} desk={desk} a={a} section={s} done={() => void load()} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

// Complaints at the desk: intake (identified or anonymous), triage, assignment, the inspection it triggers, the
// outcome and, for an identified complainant, the reply — whose contact is revealed only with a grant, audited.
import { useEffect, useState } from "preact/hooks";
import { t, tx } from "../../../i18n";
import { Act } from "./Act";
import { type Desk, type Named, today } from "./deskapi";

interface Complaint {
  id: string;
  establishment_id: string | null;
  workplace_name: string;
  workplace_address: string;
  workplace_description: string;
  summary: string;
  matters: string[];
  received_on: string;
  anonymous: boolean;
  status: string;
  priority: string | null;
  due_on: string | null;
  assigned_to: string | null;
  inspection_id: string | null;
  outcome: string | null;
}
interface Checklist {
  key: string;
  version: number;
  title: { en: string; zh: string };
}
const CHANNELS = ["walk_in", "phone", "letter", "email", "online", "referral"];
const PRIORITIES = ["low", "normal", "high", "urgent"];
const OUTCOMES = ["upheld", "partly_upheld", "not_upheld", "outside_remit", "withdrawn"];

function Intake({ desk, establishments, checklists, done }: { desk: Desk; establishments: Named[]; checklists: Checklist[]; done: () => void }) {
  const [establishment, setEstablishment] = useState("");
  const [channel, setChannel] = useState("phone");
  const [receivedOn, setReceivedOn] = useState(today());
  const [summary, setSummary] = useState("");
  const [matters, setMatters] = useState<string[]>([]);
  const [name, setName] = useState("");
  const [phone, setPhone] = useState("");
  const run = () =>
    desk.post("/complaints", {
      establishment_id: establishment,
      channel,
      received_on: receivedOn,
      summary,
      matters,
      complainant: name || phone ? { name, phone } : null,
    });
  const reset = () => {
    setSummary("");
    setName("");
    setPhone("");
    setMatters([]);
    done();
  };
  return (
    <section class="card stack">
      <h2>{t("desk.intake")}</h2>
      <label>
        {t("desk.establishment")}
        <select value={establishment} onChange={(e) => setEstablishment(e.currentTarget.value)} data-testid="intake-establishment">
          <option value="">—</option>
          {establishments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("desk.channel")}
        <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`desk.channel.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("complaint.received_on")}
        <input type="date" value={receivedOn} onInput={(e) => setReceivedOn(e.currentTarget.value)} />
      </label>
      <label>
        {t("complaint.summary")}
        <textarea rows={3} maxLength={10000} value={summary} onInput={(e) => setSummary(e.currentTarget.value)} data-testid="intake-summary" />
      </label>
      <fieldset>
        <legend>{t("desk.matters")}</legend>
        {checklists.map((c) => (
          <label key={c.key} class="check">
            <input
              type="checkbox"
              checked={matters.includes(c.key)}
              data-testid={`matter-${c.key}`}
              onChange={(e) => setMatters(e.currentTarget.checked ? [...matters, c.key] : matters.filter((m) => m !== c.key))}
            />
            {tx(c.title)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t("desk.complainant")}</legend>
        <p class="muted">{t("desk.complainant_note")}</p>
        <label>
          {t("desk.complainant_name")}
          <input value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} data-testid="intake-name" />
        </label>
        <label>
          {t("desk.complainant_phone")}
          <input value={phone} maxLength={50} onInput={(e) => setPhone(e.currentTarget.value)} data-testid="intake-phone" />
        </label>
      </fieldset>
      <Act label={t("desk.record")} run={run} done={reset} testid="intake-save" disabled={!establishment || !summary.trim()} />
    </section>
  );
}

function Case({ desk, c, inspectors, names, done }: { desk: Desk; c: Complaint; inspectors: Named[]; names: Map<string, string>; done: () => void }) {
  const [priority, setPriority] = useState(c.priority ?? "normal");
  const [due, setDue] = useState(c.due_on ?? today());
  const [assignee, setAssignee] = useState(c.assigned_to ?? inspectors[0]?.id ?? "");
  const [outcome, setOutcome] = useState("upheld");
  const [reason, setReason] = useState("");
  const [contact, setContact] = useState<string | null>(null);
  const url = `/complaints/${c.id}`;
  const s = c.status;
  return (
    <li class="card stack" data-testid="complaint" data-status={s}>
      <div class="row spread">
        <strong>{c.establishment_id ? names.get(c.establishment_id) ?? c.establishment_id : c.workplace_name}</strong>
        <span data-testid="complaint-status">{t(`desk.status.${s}`)}</span>
      </div>
      {c.establishment_id ? null : (
        <p data-testid="complaint-workplace">
          {t("complaint.workplace_note")}
          {c.workplace_address ? (
            <>
              <br />
              {t("complaint.workplace_address")}: <span data-testid="complaint-workplace-address">{c.workplace_address}</span>
            </>
          ) : null}
          {c.workplace_description ? (
            <>
              <br />
              {t("complaint.workplace_description")}:{" "}
              <span data-testid="complaint-workplace-description">{c.workplace_description}</span>
            </>
          ) : null}
        </p>
      )}
      <p>{c.summary}</p>
      <p class="muted">
        {c.received_on} · {c.anonymous ? t("desk.anonymous") : t("desk.identified")}
        {c.priority ? ` · ${t(`desk.priority.${c.priority}`)} · ${c.due_on}` : ""}
      </p>
      {["received", "triaged", "assigned"].includes(s) ? (
        <Act label={t("desk.triage")} testid="triage" done={done} run={() => desk.post(`${url}/triage`, { priority, due_on: due })}>
          <select value={priority} onChange={(e) => setPriority(e.currentTarget.value)}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`desk.priority.${p}`)}
              </option>
            ))}
          </select>
          <input type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
        </Act>
      ) : null}
      {["triaged", "assigned"].includes(s) ? (
        <Act label={t("desk.assign")} testid="assign" done={done} run={() => desk.post(`${url}/assign`, { assignee_id: assignee })}>
          <select value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)} data-testid="assignee">
            {inspectors.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </Act>
      ) : null}
      {s === "assigned" ? <Act label={t("desk.open_inspection")} testid="open-inspection" done={done} run={() => desk.post(`${url}/inspection`, {})} /> : null}
      {["triaged", "assigned", "investigated"].includes(s) ? (
        <Act label={t("desk.conclude")} testid="conclude" done={done} run={() => desk.post(`${url}/outcome`, { outcome })}>
          <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`desk.outcome.${o}`)}
              </option>
            ))}
          </select>
        </Act>
      ) : null}
      {s === "concluded" ? (
        <>
          <Act
            label={t("desk.reveal")}
            testid="reveal"
            done={() => undefined}
            disabled={reason.trim().length < 5}
            run={async () => {
              const who = await desk.post<{ name: string; phone: string; email: string }>(`${url}/complainant/reveal`, { reason });
              setContact([who.name, who.phone, who.email].filter(Boolean).join(" · "));
            }}
          >
            <input placeholder={t("desk.reveal_reason")} value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
          </Act>
          {contact ? <p data-testid="contact">{contact}</p> : null}
          <Act label={t("desk.reply")} testid="reply" done={done} run={() => desk.post(`${url}/reply`, { sent_on: today(), channel: "phone" })} />
        </>
      ) : null}
    </li>
  );
}

export function Complaints({ desk }: { desk: Desk }) {
  const [version, setVersion] = useState(0);
  const [data, setData] = useState<{ complaints: Complaint[]; establishments: Named[]; checklists: Checklist[]; inspectors: Named[] } | null>(null);
  const reload = () => setVersion((v) => v + 1);
  useEffect(() => {
    void Promise.all([
      desk.get<{ items: Complaint[] }>("/complaints?limit=200"),
      desk.get<{ items: Named[] }>("/establishments?limit=500"),
      desk.get<Checklist[]>("/checklists"),
      desk.get<(Named & { role: string })[]>("/users/colleagues"),
    ]).then(([complaints, establishments, checklists, colleagues]) =>
      setData({
        complaints: complaints.items,
        establishments: establishments.items,
        checklists,
        inspectors: colleagues.filter((c) => c.role === "inspector"),
      }),
    );
  }, [version]);
  if (!data) return <p>{t("common.loading")}</p>;
  const names = new Map(data.establishments.map((e) => [e.id, e.name]));
  return (
    <div class="stack">
      <h1>{t("desk.complaints")}</h1>
      <Intake desk={desk} establishments={data.establishments} checklists={data.checklists} done={reload} />
      <ul class="list">
        {data.complaints.map((c) => (
          <Case key={`${c.id}-${c.status}`} desk={desk} c={c} inspectors={data.inspectors} names={names} done={reload} />
        ))}
      </ul>
    </div>
  );
}

// A measure's appeals at the desk: lodge one (administrative reconsideration or litigation; its deadline is
// suspended while it is pending) and decide a pending one (upheld, varied with a new deadline, revoked).
import { useEffect, useState } from "preact/hooks";
import { d } from "../strings";
import { Act } from "./Act";
import { type Desk, today } from "./deskapi";
import type { Action } from "./Enforcement";

interface Appeal {
  id: string;
  kind: string;
  status: string;
  lodged_on: string;
  decided_on: string | null;
}

export function Appeals({ desk, a, done }: { desk: Desk; a: Action; done: () => void }) {
  const [appeals, setAppeals] = useState<Appeal[]>([]);
  const [kind, setKind] = useState("reconsideration");
  const [outcome, setOutcome] = useState("upheld");
  const [deadline, setDeadline] = useState("");
  const load = () => desk.get<Appeal[]>(`/actions/${a.id}/appeals`).then(setAppeals, () => setAppeals([]));
  useEffect(() => void load(), [a.id]);
  const after = () => {
    void load();
    done();
  };
  const pending = appeals.find((x) => x.status === "pending");
  return (
    <div class="stack">
      {appeals.length ? (
        <ul data-testid={`appeals-${a.id}`}>
          {appeals.map((x) => (
            <li key={x.id}>
              {d(`enf.appeal.${x.kind}`)} · {x.lodged_on} · {d(`enf.appeal_status.${x.status}`)}
              {x.status === "pending" ? ` · ${d("enf.suspended")}` : ""}
            </li>
          ))}
        </ul>
      ) : null}
      {pending ? (
        <Act
          label={d("enf.decide")}
          run={() =>
            desk.post(`/appeals/${pending.id}/decide`, {
              outcome,
              decided_on: today(),
              ...(outcome === "varied" && deadline ? { deadline } : {}),
            })
          }
          done={after}
          testid={`decide-${a.id}`}
        >
          <label>
            {d("enf.outcome")}
            <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)} data-testid={`outcome-${a.id}`}>
              {["upheld", "varied", "revoked"].map((o) => (
                <option key={o} value={o}>
                  {d(`enf.appeal_status.${o}`)}
                </option>
              ))}
            </select>
          </label>
          {outcome === "varied" ? (
            <label>
              {d("enf.new_deadline")}
              <input type="date" value={deadline} onInput={(e) => setDeadline(e.currentTarget.value)} />
            </label>
          ) : null}
        </Act>
      ) : (
        <Act label={d("enf.lodge")} run={() => desk.post(`/actions/${a.id}/appeals`, { kind, lodged_on: today() })} done={after} testid={`lodge-${a.id}`}>
          <label>
            {d("enf.appeal_kind")}
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value)} data-testid={`appeal-kind-${a.id}`}>
              {["reconsideration", "litigation"].map((k) => (
                <option key={k} value={k}>
                  {d(`enf.appeal.${k}`)}
                </option>
              ))}
            </select>
          </label>
        </Act>
      )}
    </div>
  );
}

// Conflicts: both values side by side; the lead inspector chooses one, with a note.
import { useState } from "preact/hooks";
import { getAll } from "../db";
import { useLive } from "../hooks";
import { t } from "../i18n";
import { resolveConflict } from "../records";
import type { Conflict, Device, Inspection } from "../types";

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return t(`answer.${value}`) === `answer.${value}` ? value : t(`answer.${value}`);
  return JSON.stringify(value);
}

function ConflictCard({ conflict, canResolve }: { conflict: Conflict; canResolve: boolean }) {
  const [note, setNote] = useState("");
  return (
    <article class="card conflict" data-testid="conflict">
      <h2>
        {conflict.field} · {conflict.record_id}
      </h2>
      <div class="sides">
        {conflict.candidates.map((c) => (
          <div key={c.mutation_id} class="side">
            <p class="value">{show(c.value)}</p>
            <p class="muted">{t("conflict.by", { author: c.author })}</p>
            {canResolve ? (
              <button
                class="btn primary"
                disabled={conflict.resolving}
                onClick={() => void resolveConflict(conflict, c.mutation_id, note.trim())}
              >
                {t("conflict.choose")}
              </button>
            ) : null}
          </div>
        ))}
      </div>
      {canResolve ? (
        <label>
          {t("conflict.note")}
          <textarea rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
      ) : (
        <p class="muted">{t("conflict.lead_only")}</p>
      )}
      {conflict.resolving ? <p role="status">{t("conflict.resolving")}</p> : null}
    </article>
  );
}

export function Conflicts({ device }: { device: Device }) {
  const data = useLive(async () => {
    const [conflicts, inspections] = await Promise.all([getAll<Conflict>("conflicts"), getAll<Inspection>("inspections")]);
    return { conflicts: conflicts.filter((c) => c.status === "open"), leads: new Map(inspections.map((i) => [i.id, i.lead])) };
  }, []);
  if (!data) return <p>{t("common.loading")}</p>;
  return (
    <div class="stack">
      <h1>{t("conflict.title")}</h1>
      {data.conflicts.length ? (
        data.conflicts.map((c) => (
          <ConflictCard
            key={c.id}
            conflict={c}
            canResolve={data.leads.get(c.inspection_id) === device.user.id || device.user.role === "supervisor"}
          />
        ))
      ) : (
        <p class="muted">{t("home.no_conflicts")}</p>
      )}
    </div>
  );
}

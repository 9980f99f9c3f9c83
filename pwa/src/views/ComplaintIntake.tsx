// Recording a complaint about an establishment on the tablet, offline (sent at the next sync). No complainant's
// name or contact is asked for: that is taken at the desk (C81 Art. 15(c)).
import { useState } from "preact/hooks";
import { complaintValid, localDay, recordComplaint, SUMMARY_MAX } from "../complaints";
import { getOne } from "../db";
import { useLive } from "../hooks";
import { t } from "../i18n";
import type { Establishment } from "../types";

export function ComplaintIntake({ establishmentId }: { establishmentId: string }) {
  const establishment = useLive(
    async () => (await getOne<Establishment>("establishments", establishmentId)) ?? null,
    [establishmentId],
  );
  const [summary, setSummary] = useState("");
  const [receivedOn, setReceivedOn] = useState(localDay());
  const [confidential, setConfidential] = useState(true);
  const [saved, setSaved] = useState(false);
  if (establishment === undefined) return <p>{t("common.loading")}</p>;
  const draft = { summary, received_on: receivedOn, confidential };
  const save = async (e: Event) => {
    e.preventDefault();
    await recordComplaint(establishmentId, draft);
    setSummary("");
    setSaved(true);
  };
  return (
    <div class="stack">
      <h1>{t("complaint.intake_title")}</h1>
      <p>{establishment?.name ?? ""}</p>
      <p class="muted" data-testid="complaint-privacy">{t("complaint.no_identity")}</p>
      {saved ? (
        <p class="card" data-testid="complaint-saved">{t("complaint.queued")}</p>
      ) : null}
      <form class="card" onSubmit={save}>
        <label>
          {t("complaint.received_on")}
          <input type="date" value={receivedOn} max={localDay()} onInput={(e) => setReceivedOn(e.currentTarget.value)} />
        </label>
        <label>
          {t("complaint.summary")}
          <textarea
            rows={5}
            maxLength={SUMMARY_MAX}
            value={summary}
            data-testid="complaint-summary"
            onInput={(e) => {
              setSummary(e.currentTarget.value);
              setSaved(false);
            }}
          />
        </label>
        <label class="check">
          <input type="checkbox" checked={confidential} onChange={(e) => setConfidential(e.currentTarget.checked)} />
          {t("complaint.confidential")}
        </label>
        <button class="btn primary" type="submit" disabled={!complaintValid(draft)} data-testid="complaint-save">
          {t("complaint.save")}
        </button>
      </form>
      <a class="btn" href={`#/establishments/${establishmentId}`}>
        {t("complaint.back")}
      </a>
    </div>
  );
}

// Review and submit: what is missing, the employer representative's signature, then submit (locks at once).
import { useState } from "preact/hooks";
import { describeFix } from "../components/GpsStatus";
import { InspectionNav } from "../components/InspectionNav";
import { SignaturePad } from "../components/SignaturePad";
import { getAll } from "../db";
import { emitError } from "../errors";
import { useLive } from "../hooks";
import { t, tx } from "../i18n";
import { addSignature, submitInspection } from "../records";
import { missingForSubmit } from "../submitrule";
import type { Conflict, Device, FindingStatus } from "../types";
import { loadInspectionData } from "./Checklist";

export function Review({ id, device }: { id: string; device: Device }) {
  const data = useLive(async () => {
    const [base, conflicts] = await Promise.all([loadInspectionData(id), getAll<Conflict>("conflicts")]);
    return base && { ...base, conflicts: conflicts.filter((c) => c.inspection_id === id && c.status === "open") };
  }, [id]);
  const [busy, setBusy] = useState(false);
  if (!data) return <p>{t("common.loading")}</p>;
  const { inspection, checklist, establishment, findings, photos, conflicts } = data;
  const locked = inspection.status !== "draft";
  const items = (checklist?.definition.sections ?? []).flatMap((s) => s.items);
  // The server's rule (missing_for_submit), checked here so the device never queues a submission it refuses.
  const answers: Record<string, FindingStatus | undefined> = {};
  for (const [itemId, f] of findings) answers[itemId] = f.fields.status;
  const evidence: Record<string, string[]> = {};
  for (const p of photos) if (p.kind === "photo" && p.item_id) (evidence[p.item_id] ??= []).push(p.sha256);
  const missing = missingForSubmit(items, establishment ?? null, answers, evidence);
  const byId = new Map(items.map((i) => [i.id, i]));
  const unanswered = missing.filter((m) => m.reason === "no_answer").map((m) => byId.get(m.item_id)!);
  const noEvidence = missing.filter((m) => m.reason === "evidence_required").map((m) => byId.get(m.item_id)!);
  const signature = photos.find((p) => p.kind === "signature");
  const isLead = inspection.lead === device.user.id || device.user.role === "supervisor";
  const blocking = missing.length > 0 || !signature || conflicts.length > 0 || !isLead;
  const submit = async () => {
    setBusy(true);
    try {
      await submitInspection(inspection);
    } catch (error) {
      emitError("error.submit_failed", error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="stack">
      <h1>{t("insp.review")}</h1>
      <InspectionNav inspection={inspection} current="review" />
      <section class="card" aria-labelledby="missing">
        <h2 id="missing">{t("review.missing")}</h2>
        <ul class="missing" data-testid="missing">
          {unanswered.length ? (
            <li>
              {t("review.unanswered", { n: unanswered.length })}:{" "}
              {unanswered.slice(0, 8).map((i) => tx(i.text)).join("; ")}
              {unanswered.length > 8 ? " …" : ""}
            </li>
          ) : null}
          {noEvidence.map((i) => (
            <li key={i.id} class="warn">
              {t("review.no_evidence")}: {tx(i.text)}
            </li>
          ))}
          {!signature ? <li>{t("review.no_signature")}</li> : null}
          {conflicts.length ? <li>{t("review.conflicts", { n: conflicts.length })}</li> : null}
          {inspection.gps_start.lat === null ? <li class="warn">{t("review.no_gps")}</li> : null}
          {!isLead ? <li>{t("review.not_lead")}</li> : null}
          {!blocking ? <li class="ok">{t("review.nothing_missing")}</li> : null}
        </ul>
        <p class="muted">
          {t("review.gps_start")}: {describeFix(inspection.gps_start)}
        </p>
      </section>
      <section class="card">
        <h2>{t("sign.title")}</h2>
        {signature ? (
          <p data-testid="signed">{t("sign.done", { name: signature.signer_name ?? "" })}</p>
        ) : (
          <SignaturePad disabled={locked} onSave={(name, png) => addSignature(inspection, name, png)} />
        )}
      </section>
      <section class="card">
        {locked ? (
          <p role="status" data-testid="submit-state">
            {t(`locked.${inspection.status}`)} {inspection.submitted_hash ? <code>{inspection.submitted_hash}</code> : null}
          </p>
        ) : (
          <button class="btn primary big" disabled={blocking || busy} onClick={submit} data-testid="submit">
            {t("review.submit")}
          </button>
        )}
      </section>
    </div>
  );
}

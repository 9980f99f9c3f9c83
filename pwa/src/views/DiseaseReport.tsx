// Notifying an occupational disease case at an establishment on the tablet, offline (sent at the next sync). The
// person is described without a name, as the desk's form does.
import { useState } from "preact/hooks";
import { AGE_GROUPS } from "../accidents";
import { localDay } from "../complaints";
import { blankDisease, diseaseValid, personChosen, reportDisease, type DiseaseDraft } from "../diseases";
import { getOne } from "../db";
import { useLive } from "../hooks";
import { t } from "../i18n";
import type { Establishment } from "../types";

export function DiseaseReport({ establishmentId }: { establishmentId: string }) {
  const establishment = useLive(
    async () => (await getOne<Establishment>("establishments", establishmentId)) ?? null,
    [establishmentId],
  );
  const [draft, setDraft] = useState<DiseaseDraft>(blankDisease());
  const [saved, setSaved] = useState(false);
  const edit = (change: Partial<DiseaseDraft>) => {
    setDraft({ ...draft, ...change });
    setSaved(false);
  };
  const occupationOk = /^([0-9]{1,4})?$/.test(draft.occupation);
  const save = async (e: Event) => {
    e.preventDefault();
    await reportDisease(establishmentId, draft);
    setDraft(blankDisease());
    setSaved(true);
  };
  if (establishment === undefined) return <p>{t("common.loading")}</p>;
  return (
    <div class="stack">
      <h1>{t("disease.notify")}</h1>
      <p>{establishment?.name ?? ""}</p>
      <p class="muted">{t("disease.no_names")}</p>
      {saved ? (
        <p class="card" role="status" data-testid="disease-queued">
          {t("disease.queued")}
        </p>
      ) : null}
      <form class="card stack" onSubmit={save}>
        <label>
          {t("disease.disease")}
          <input value={draft.disease} maxLength={200} data-testid="disease-name" onInput={(e) => edit({ disease: e.currentTarget.value })} />
        </label>
        <label>
          {t("disease.exposure")}
          <input value={draft.exposure} maxLength={200} data-testid="disease-exposure" onInput={(e) => edit({ exposure: e.currentTarget.value })} />
        </label>
        <label>
          {t("disease.exposure_years")}
          <input type="number" inputMode="numeric" min={0} max={80} value={draft.exposure_years} data-testid="disease-years"
            onInput={(e) => edit({ exposure_years: e.currentTarget.value })} />
        </label>
        <label>
          {t("disease.diagnosed_on")}
          <input type="date" value={draft.diagnosed_on} max={localDay()} data-testid="disease-diagnosed"
            onInput={(e) => edit({ diagnosed_on: e.currentTarget.value })} />
        </label>
        <fieldset class="stack">
          <legend>{t("disease.person")}</legend>
          {personChosen(draft) ? null : (
            <p id="disease-person-hint" class="warn" data-testid="disease-person-hint">
              {t("disease.person_required")}
            </p>
          )}
          <label>
            {t("disease.sex")}
            <select value={draft.sex} required aria-describedby="disease-person-hint" data-testid="disease-sex"
              onChange={(e) => edit({ sex: e.currentTarget.value as DiseaseDraft["sex"] })}>
              <option value="">{t("disease.choose")}</option>
              {["male", "female"].map((s) => (
                <option key={s} value={s}>
                  {t(`desk.sex.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("disease.age_group")}
            <select value={draft.age_group} required aria-describedby="disease-person-hint" data-testid="disease-age"
              onChange={(e) => edit({ age_group: e.currentTarget.value })}>
              <option value="">{t("disease.choose")}</option>
              {AGE_GROUPS.map((a) => (
                <option key={a} value={a}>
                  {t(`desk.age.${a}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("disease.occupation")}
            <input value={draft.occupation} inputMode="numeric" maxLength={4} aria-invalid={!occupationOk}
              aria-describedby="disease-occupation-hint" data-testid="disease-occupation"
              onInput={(e) => edit({ occupation: e.currentTarget.value.trim() })} />
            <span id="disease-occupation-hint" class="muted">
              {t("disease.occupation_hint")}
            </span>
          </label>
          <label class="check">
            <input type="checkbox" checked={draft.fatal} data-testid="disease-fatal" onChange={(e) => edit({ fatal: e.currentTarget.checked })} />
            {t("desk.fatal")}
          </label>
        </fieldset>
        <button class="btn primary" type="submit" disabled={!diseaseValid(draft)} data-testid="disease-save">
          {t("disease.save")}
        </button>
      </form>
      <a class="btn" href={`#/establishments/${establishmentId}`}>
        {t("complaint.back")}
      </a>
    </div>
  );
}

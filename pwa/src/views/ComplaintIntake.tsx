// Recording a complaint on the tablet, offline (sent at the next sync): about an establishment of the register, or
// (no establishment id) an unregistered workplace to find. The matters alleged are the checklist areas, as at the
// desk. No complainant's name or contact is asked for: that is taken at the desk (C81 Art. 15(c)).
import { useState } from "preact/hooks";
import {
  CHANNELS,
  complaintValid,
  homeDistrict,
  localDay,
  matterChoices,
  recordComplaint,
  SUMMARY_MAX,
  type Workplace,
} from "../complaints";
import { getAll, getOne } from "../db";
import { useLive } from "../hooks";
import { t, tx } from "../i18n";
import type { ChecklistRecord, Device, Establishment } from "../types";

const NO_WORKPLACE: Workplace = { name: "", address: "", description: "", district_id: "" };

function WorkplaceFields({ value, set }: { value: Workplace; set: (w: Workplace) => void }) {
  return (
    <fieldset class="stack">
      <legend>{t("complaint.workplace")}</legend>
      <p class="muted">{t("complaint.workplace_note")}</p>
      <label>
        {t("complaint.workplace_name")}
        <input value={value.name} maxLength={200} required data-testid="workplace-name"
          onInput={(e) => set({ ...value, name: e.currentTarget.value })} />
      </label>
      <label>
        {t("complaint.workplace_address")}
        <input value={value.address} maxLength={500} data-testid="workplace-address"
          onInput={(e) => set({ ...value, address: e.currentTarget.value })} />
      </label>
      <label>
        {t("complaint.workplace_description")}
        <textarea rows={2} value={value.description} maxLength={2000} data-testid="workplace-description"
          onInput={(e) => set({ ...value, description: e.currentTarget.value })} />
      </label>
    </fieldset>
  );
}

export function ComplaintIntake({ establishmentId, device }: { establishmentId: string; device: Device }) {
  const unregistered = !establishmentId;
  const data = useLive(async () => {
    const [establishment, checklists, establishments] = await Promise.all([
      unregistered ? Promise.resolve(null) : getOne<Establishment>("establishments", establishmentId),
      getAll<ChecklistRecord>("checklists"),
      unregistered ? getAll<Establishment>("establishments") : Promise.resolve([]),
    ]);
    return { establishment: establishment ?? null, matters: matterChoices(checklists), district: homeDistrict(device.user, establishments) };
  }, [establishmentId]);
  const [summary, setSummary] = useState("");
  const [receivedOn, setReceivedOn] = useState(localDay());
  const [confidential, setConfidential] = useState(true);
  const [channel, setChannel] = useState("field");
  const [matters, setMatters] = useState<string[]>([]);
  const [place, setPlace] = useState<Workplace>(NO_WORKPLACE);
  const [saved, setSaved] = useState(false);
  if (data === undefined) return <p>{t("common.loading")}</p>;
  const draft = { summary, received_on: receivedOn, confidential, channel, matters };
  const workplace = unregistered ? { ...place, district_id: data.district ?? "" } : undefined;
  const save = async (e: Event) => {
    e.preventDefault();
    await recordComplaint(unregistered ? null : establishmentId, draft, workplace);
    setSummary("");
    setMatters([]);
    setPlace(NO_WORKPLACE);
    setSaved(true);
  };
  const edit = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setSaved(false);
  };
  return (
    <div class="stack">
      <h1>{t(unregistered ? "complaint.unregistered_title" : "complaint.intake_title")}</h1>
      {unregistered ? null : <p>{data.establishment?.name ?? ""}</p>}
      <p class="muted" data-testid="complaint-privacy">{t("complaint.no_identity")}</p>
      {saved ? (
        <p class="card" role="status" data-testid="complaint-saved">{t("complaint.queued")}</p>
      ) : null}
      <form class="card stack" onSubmit={save}>
        {unregistered ? <WorkplaceFields value={place} set={edit(setPlace)} /> : null}
        {unregistered && !data.district ? <p role="alert">{t("complaint.no_district")}</p> : null}
        <label>
          {t("complaint.received_on")}
          <input type="date" value={receivedOn} max={localDay()} data-testid="complaint-received"
            onInput={(e) => setReceivedOn(e.currentTarget.value)} />
        </label>
        <label>
          {t("complaint.channel")}
          <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)} data-testid="complaint-channel">
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`complaint.channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("complaint.summary")}
          <textarea
            rows={5}
            maxLength={SUMMARY_MAX}
            value={summary}
            data-testid="complaint-summary"
            onInput={(e) => edit(setSummary)(e.currentTarget.value)}
          />
        </label>
        <fieldset class="stack">
          <legend>{t("complaint.matters")}</legend>
          {data.matters.length ? null : <p class="muted">{t("complaint.no_matters")}</p>}
          {data.matters.map((c) => (
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
        <label class="check">
          <input type="checkbox" checked={confidential} onChange={(e) => setConfidential(e.currentTarget.checked)} />
          {t("complaint.confidential")}
        </label>
        <button class="btn primary" type="submit" disabled={!complaintValid(draft, localDay(), workplace)} data-testid="complaint-save">
          {t("complaint.save")}
        </button>
      </form>
      <a class="btn" href={unregistered ? "#/establishments" : `#/establishments/${establishmentId}`}>
        {t(unregistered ? "complaint.back_register" : "complaint.back")}
      </a>
    </div>
  );
}

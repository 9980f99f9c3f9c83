// Occupational disease cases at the desk: notify one (the disease as diagnosed, the exposure it came from, the
// diagnosis date, and the person as the 16th ICLS counts them — never a name) and list the area's cases.
import { useEffect, useState } from "preact/hooks";
import { t } from "../../../i18n";
import { Act } from "./Act";
import { type Desk, type Named, today } from "./deskapi";

interface DiseaseCase {
  id: string;
  establishment_id: string;
  disease: string;
  exposure: string;
  exposure_years: number | null;
  diagnosed_on: string;
  sex: string;
  age_group: string;
  occupation: string;
  fatal: boolean;
}
const AGES = ["under_15", "15_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus", "unknown"];

function Notify({ desk, establishments, done }: { desk: Desk; establishments: Named[]; done: () => void }) {
  const [establishment, setEstablishment] = useState("");
  const [disease, setDisease] = useState("");
  const [exposure, setExposure] = useState("");
  const [years, setYears] = useState("");
  const [diagnosed, setDiagnosed] = useState("");
  const [sex, setSex] = useState(""); // chosen, never defaulted: a skipped field is not counted as one
  const [age, setAge] = useState("");
  const [occupation, setOccupation] = useState("");
  const [fatal, setFatal] = useState(false);
  const occupationOk = /^([0-9]{1,4})?$/.test(occupation);
  const run = () =>
    desk.post("/disease-cases", {
      establishment_id: establishment,
      disease,
      exposure,
      exposure_years: years === "" ? null : Number(years),
      diagnosed_on: diagnosed,
      sex,
      age_group: age,
      occupation,
      fatal,
    });
  const reset = () => {
    setDisease("");
    setExposure("");
    setYears("");
    setOccupation("");
    setFatal(false);
    setSex("");
    setAge("");
    done();
  };
  const chosen = sex !== "" && age !== "";
  const ready = establishment && disease.trim() && exposure.trim() && diagnosed && chosen && occupationOk;
  return (
    <section class="card stack" aria-labelledby="disease-notify">
      <h2 id="disease-notify">{t("disease.notify")}</h2>
      <p class="muted">{t("disease.no_names")}</p>
      <label>
        {t("desk.establishment")}
        <select value={establishment} onChange={(e) => setEstablishment(e.currentTarget.value)} data-testid="disease-establishment">
          <option value="">—</option>
          {establishments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("disease.disease")}
        <input value={disease} maxLength={200} onInput={(e) => setDisease(e.currentTarget.value)} data-testid="disease-name" />
      </label>
      <label>
        {t("disease.exposure")}
        <input value={exposure} maxLength={200} onInput={(e) => setExposure(e.currentTarget.value)} data-testid="disease-exposure" />
      </label>
      <label>
        {t("disease.exposure_years")}
        <input type="number" min={0} max={80} value={years} onInput={(e) => setYears(e.currentTarget.value)} data-testid="disease-years" />
      </label>
      <label>
        {t("disease.diagnosed_on")}
        <input type="date" value={diagnosed} max={today()} onInput={(e) => setDiagnosed(e.currentTarget.value)} data-testid="disease-diagnosed" />
      </label>
      <fieldset class="row">
        <legend>{t("disease.person")}</legend>
        {chosen ? null : (
          <p id="desk-disease-person-hint" class="warn" data-testid="disease-person-hint">
            {t("disease.person_required")}
          </p>
        )}
        <label>
          {t("disease.sex")}
          <select value={sex} required aria-describedby="desk-disease-person-hint" onChange={(e) => setSex(e.currentTarget.value)} data-testid="disease-sex">
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
          <select value={age} required aria-describedby="desk-disease-person-hint" onChange={(e) => setAge(e.currentTarget.value)} data-testid="disease-age">
            <option value="">{t("disease.choose")}</option>
            {AGES.map((a) => (
              <option key={a} value={a}>
                {t(`desk.age.${a}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("disease.occupation")}
          <input
            value={occupation}
            inputMode="numeric"
            maxLength={4}
            aria-invalid={!occupationOk}
            aria-describedby="disease-occupation-hint"
            onInput={(e) => setOccupation(e.currentTarget.value.trim())}
            data-testid="disease-occupation"
          />
          <span id="disease-occupation-hint" class="muted">
            {t("disease.occupation_hint")}
          </span>
        </label>
        <label class="check">
          <input type="checkbox" checked={fatal} onChange={(e) => setFatal(e.currentTarget.checked)} data-testid="disease-fatal" />
          {t("desk.fatal")}
        </label>
      </fieldset>
      <Act label={t("desk.record")} run={run} done={reset} testid="disease-save" disabled={!ready} />
    </section>
  );
}

export function Diseases({ desk }: { desk: Desk }) {
  const [version, setVersion] = useState(0);
  const [data, setData] = useState<{ cases: DiseaseCase[]; establishments: Named[] } | null>(null);
  useEffect(() => {
    void Promise.all([
      desk.get<DiseaseCase[]>("/disease-cases"),
      desk.get<{ items: Named[] }>("/establishments?limit=500"),
    ]).then(([cases, establishments]) => setData({ cases, establishments: establishments.items }));
  }, [version]);
  if (!data) return <p>{t("common.loading")}</p>;
  const names = new Map(data.establishments.map((e) => [e.id, e.name]));
  return (
    <div class="stack">
      <h1>{t("disease.title")}</h1>
      <Notify desk={desk} establishments={data.establishments} done={() => setVersion((v) => v + 1)} />
      <section class="card" aria-labelledby="disease-list">
        <h2 id="disease-list">{t("disease.list")}</h2>
        {data.cases.length ? (
          <table data-testid="disease-cases">
            <thead>
              <tr>
                <th scope="col">{t("disease.diagnosed_on")}</th>
                <th scope="col">{t("desk.establishment")}</th>
                <th scope="col">{t("disease.disease")}</th>
                <th scope="col">{t("disease.exposure")}</th>
                <th scope="col">{t("disease.person")}</th>
              </tr>
            </thead>
            <tbody>
              {data.cases.map((c) => (
                <tr key={c.id} data-testid="disease-case">
                  <td>{c.diagnosed_on}</td>
                  <td>{names.get(c.establishment_id) ?? c.establishment_id}</td>
                  <td>{c.disease}</td>
                  <td>
                    {c.exposure}
                    {c.exposure_years !== null ? ` · ${t("disease.years", { n: c.exposure_years })}` : ""}
                  </td>
                  <td>
                    {t(`desk.sex.${c.sex}`)} · {t(`desk.age.${c.age_group}`)}
                    {c.occupation ? ` · ISCO ${c.occupation}` : ""}
                    {c.fatal ? ` · ${t("desk.fatal")}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">{t("disease.none")}</p>
        )}
      </section>
    </div>
  );
}

// The checklist of one inspection: sections with progress and one card per applicable item.
import { useEffect } from "preact/hooks";
import { itemApplies } from "../applicability";
import { GpsStatus } from "../components/GpsStatus";
import { InspectionNav } from "../components/InspectionNav";
import { ItemCard } from "../components/ItemCard";
import { byIndex, getOne } from "../db";
import { marks } from "../debug";
import { startWatching, stopWatching } from "../geo";
import { useLive } from "../hooks";
import { currentLang, t, tx } from "../i18n";
import type { ChecklistRecord, Establishment, Finding, Inspection, Photo } from "../types";

export async function loadInspectionData(id: string) {
  const inspection = await getOne<Inspection>("inspections", id);
  if (!inspection) return null;
  const [checklist, establishment, findings, photos] = await Promise.all([
    getOne<ChecklistRecord>("checklists", inspection.checklist),
    getOne<Establishment>("establishments", inspection.establishment_id),
    byIndex<Finding>("findings", "inspection", id),
    byIndex<Photo>("photos", "inspection", id),
  ]);
  return { inspection, checklist, establishment, findings: new Map(findings.map((f) => [f.item_id, f])), photos };
}

const NO_PHOTOS: Photo[] = [];

export function Checklist({ id }: { id: string }) {
  useEffect(() => {
    marks.checklist_mount = performance.now();
    delete marks.checklist_data;
    delete marks.checklist_rendered;
    startWatching();
    return stopWatching;
  }, []);
  const data = useLive(() => loadInspectionData(id), [id]);
  useEffect(() => {
    if (data?.checklist && marks.checklist_rendered === undefined) marks.checklist_rendered = performance.now();
  }, [data]);
  if (data === undefined) return <p>{t("common.loading")}</p>;
  if (data === null) return <p>{t("insp.not_found")}</p>;
  const { inspection, checklist, establishment, findings, photos } = data;
  if (marks.checklist_data === undefined) marks.checklist_data = performance.now(); // diagnostics only
  if (!checklist) return <p class="err">{t("insp.checklist_missing", { ref: inspection.checklist })}</p>;
  const profile = establishment ?? { isic: "", workers_total: 0, workers_women: 0, workers_under_18: 0 };
  const photosByItem = new Map<string, Photo[]>();
  for (const p of photos) {
    if (p.kind !== "photo" || !p.item_id) continue;
    photosByItem.set(p.item_id, [...(photosByItem.get(p.item_id) ?? []), p]);
  }
  const locked = inspection.status !== "draft";
  const lang = currentLang();
  let hidden = 0;
  const sections = checklist.definition.sections.map((s, si) => {
    const items = s.items.filter((item) => {
      const ok = !establishment || itemApplies(item, profile);
      if (!ok) hidden++;
      return ok;
    });
    const answered = items.filter((i) => findings.get(i.id)?.fields.status).length;
    return { s, si, items, answered };
  });
  const total = sections.reduce((n, x) => n + x.items.length, 0);
  const done = sections.reduce((n, x) => n + x.answered, 0);
  return (
    <div class="stack">
      <div class="row spread">
        <h1>
          {establishment?.name ?? inspection.establishment_id} — {tx(checklist.title)}
        </h1>
        <span class="progress" data-testid="progress">
          {t("insp.progress", { done, total })}
        </span>
      </div>
      <InspectionNav inspection={inspection} current="" />
      <GpsStatus />
      <nav class="sections" aria-label={t("insp.sections")}>
        {sections.map(({ s, items, answered }) => (
          <a key={s.id} href={`#/inspections/${id}`} onClick={(e) => {
            e.preventDefault();
            document.getElementById(`sec-${s.id}`)?.scrollIntoView();
          }}>
            {tx(s.title)} <span class="count">{answered}/{items.length}</span>
          </a>
        ))}
      </nav>
      {hidden ? <p class="muted">{t("insp.hidden", { n: hidden })}</p> : null}
      {sections.map(({ s, si, items, answered }) =>
        items.length ? (
          <section key={s.id} id={`sec-${s.id}`} class="section" aria-labelledby={`sh-${s.id}`}>
            <h2 id={`sh-${s.id}`}>
              {si + 1}. {tx(s.title)} <span class="count">{answered}/{items.length}</span>
            </h2>
            {items.map((item, ii) => (
              <ItemCard
                key={item.id}
                item={item}
                number={`${si + 1}.${ii + 1}`}
                inspection={inspection}
                finding={findings.get(item.id)}
                photos={photosByItem.get(item.id) ?? NO_PHOTOS}
                lang={lang}
                locked={locked}
              />
            ))}
          </section>
        ) : null,
      )}
    </div>
  );
}

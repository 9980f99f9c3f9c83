// The printable copy of the inspection report, from this device's records only (works offline): Chinese, English
// or both side by side, with print styles (app.css, @media print) that leave out the app around it.
import { useEffect, useState } from "preact/hooks";
import { NotOnDevice, objectUrl } from "../blobs";
import { byIndex, getMeta } from "../db";
import { useLive } from "../hooks";
import { both, buildPrintDoc, fill, field, noticeNumber, P, type PrintDoc, type PrintLang, takesNotice } from "../printdoc";
import type { Action, Colleague, Device, LocalNotice, Note, Photo, Text } from "../types";
import { loadInspectionData } from "./Checklist";

const LANGS: PrintLang[] = ["zh", "en", "both"];

/** One text in the copy's language; with both, English beside Chinese. */
function Bi({ text, lang, strong, cls }: { text: Text; lang: PrintLang; strong?: boolean; cls?: string }) {
  const wrap = (s: string) => (strong ? <strong>{s}</strong> : s);
  if (lang === "both" && text.en !== text.zh)
    return (
      <div class={cls ? `bi ${cls}` : "bi"}>
        <p lang="en">{wrap(text.en)}</p>
        <p lang="zh-CN">{wrap(text.zh)}</p>
      </div>
    );
  const one = lang === "zh" ? text.zh : text.en;
  return (
    <p class={cls} lang={lang === "zh" ? "zh-CN" : "en"}>
      {wrap(one)}
    </p>
  );
}

function Heading({ text, lang }: { text: Text; lang: PrintLang }) {
  return (
    <h2 class="bi-h">
      {lang === "both" ? (
        <>
          <span lang="en">{text.en}</span>
          <span lang="zh-CN">{text.zh}</span>
        </>
      ) : (
        <span>{lang === "zh" ? text.zh : text.en}</span>
      )}
    </h2>
  );
}

function Thumb({ photo, lang }: { photo: Photo; lang: PrintLang }) {
  const [url, setUrl] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let made: string | null = null;
    let live = true;
    const first = photo.preview_sha256
      ? objectUrl(photo.preview_sha256, photo.preview_mime ?? "image/jpeg").catch((e) => {
          if (e instanceof NotOnDevice) return objectUrl(photo.sha256, photo.mime);
          throw e;
        })
      : objectUrl(photo.sha256, photo.mime);
    first.then(
      (u) => (live ? setUrl((made = u)) : URL.revokeObjectURL(u)),
      () => live && setUrl(null),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [photo.id]);
  const missing = lang === "zh" ? P.photo_missing.zh : lang === "en" ? P.photo_missing.en : `${P.photo_missing.en} / ${P.photo_missing.zh}`;
  return (
    <figure class="print-thumb" data-testid="print-photo">
      {url ? <img src={url} alt={photo.caption || photo.sha256.slice(0, 12)} /> : <div class="ph">{url === null ? missing : ""}</div>}
      <figcaption>{photo.sha256.slice(0, 12)}</figcaption>
    </figure>
  );
}

function Doc({ doc, lang }: { doc: PrintDoc; lang: PrintLang }) {
  const { inspection: insp, establishment: est } = doc;
  const total = Object.values(doc.counts).reduce((a, b) => a + b, 0);
  const countText: Text = {
    en: `${fill(P.checked, { n: total }).en}: ${["compliant", "non_compliant", "not_applicable", "not_checked"].map((k) => `${both(`answer.${k}`).en.toLowerCase()} ${doc.counts[k] ?? 0}`).join(", ")}`,
    zh: `${fill(P.checked, { n: total }).zh}：${["compliant", "non_compliant", "not_applicable", "not_checked"].map((k) => `${both(`answer.${k}`).zh}${doc.counts[k] ?? 0}项`).join("，")}`,
  };
  const team: Text = {
    en: [doc.team[0] ? `${doc.team[0]} (${P.lead.en})` : "", ...doc.team.slice(1), doc.unnamed ? fill(P.others, { n: doc.unnamed }).en : ""].filter(Boolean).join(", "),
    zh: [doc.team[0] ? `${doc.team[0]}（${P.lead.zh}）` : "", ...doc.team.slice(1), doc.unnamed ? fill(P.others, { n: doc.unnamed }).zh : ""].filter(Boolean).join("、"),
  };
  const representative = String(insp.header.employer_representative ?? "");
  return (
    <article class={`printdoc ${lang}`} data-testid="print-doc" lang={lang === "en" ? "en" : "zh-CN"}>
      <Bi text={P.title} lang={lang} strong cls="doc-title" />
      <Bi text={field(P.record, insp.id)} lang={lang} />
      {insp.status === "draft" ? <Bi text={P.draft} lang={lang} strong /> : null}
      <Heading text={P.particulars} lang={lang} />
      {est ? (
        <>
          <Bi text={field(P.establishment, est.name)} lang={lang} />
          <Bi text={field(P.registration, est.registration_number)} lang={lang} />
          {est.address ? <Bi text={field(P.address, est.address)} lang={lang} /> : null}
        </>
      ) : null}
      <Bi text={field(P.date, String(insp.header.visit_date ?? ""))} lang={lang} />
      <Bi text={field(P.started, doc.started)} lang={lang} />
      <Bi text={doc.gps ? field(P.gps, doc.gps) : { en: `${P.gps.en}: ${P.no_gps.en}`, zh: `${P.gps.zh}：${P.no_gps.zh}` }} lang={lang} />
      {team.en ? <Bi text={{ en: `${P.team.en}: ${team.en}`, zh: `${P.team.zh}：${team.zh}` }} lang={lang} /> : null}
      {representative ? <Bi text={field(P.representative, representative)} lang={lang} /> : null}
      <Heading text={P.results} lang={lang} />
      <Bi text={countText} lang={lang} />
      <Heading text={P.non_compliances} lang={lang} />
      {doc.entries.length === 0 ? <Bi text={P.none_found} lang={lang} /> : null}
      {doc.entries.map((e, n) => (
        <section class="print-entry" key={e.item.id} data-item={e.item.id}>
          <Bi text={{ en: `${n + 1}. ${e.item.id}  ${e.item.text.en}`, zh: `${n + 1}. ${e.item.id}  ${e.item.text.zh}` }} lang={lang} strong />
          {(e.item.citations ?? []).map((c) => (
            <Bi key={c.instrument + c.article} text={{ en: `${P.basis.en}: ${c.line.en}`, zh: `${P.basis.zh}：${c.line.zh}` }} lang={lang} />
          ))}
          {e.value ? <Bi text={field(P.value, e.value)} lang={lang} /> : null}
          {e.workers.men || e.workers.women || e.workers.under_18 ? (
            <Bi
              text={{
                en: `${P.workers.en}: ${P.men.en} ${e.workers.men}, ${P.women.en} ${e.workers.women}, ${P.under_18.en} ${e.workers.under_18}`,
                zh: `${P.workers.zh}：${P.men.zh}${e.workers.men}人，${P.women.zh}${e.workers.women}人，${P.under_18.zh}${e.workers.under_18}人`,
              }}
              lang={lang}
            />
          ) : null}
          {[e.remark, ...e.notes].filter(Boolean).map((text, i) => (
            <p key={i} class="as-written">
              {lang === "both" ? `${P.note.en} / ${P.note.zh}` : lang === "zh" ? P.note.zh : P.note.en}: {text}
            </p>
          ))}
          {e.photos.length ? (
            <div class="print-photos">
              {e.photos.map((p) => (
                <Thumb key={p.id} photo={p} lang={lang} />
              ))}
            </div>
          ) : null}
        </section>
      ))}
      <Heading text={P.measures} lang={lang} />
      {doc.measures.length === 0 ? <Bi text={P.no_measures} lang={lang} /> : null}
      {doc.measures.map((a: Action) => {
        const m = both(`measure.${a.measure}`);
        const no = noticeNumber(doc, a);
        const en = [m.en, a.deadline ? `${P.deadline.en} ${a.deadline}` : "", takesNotice(a) ? `${P.notice_no.en} ${no}` : ""];
        const zh = [m.zh, a.deadline ? `${P.deadline.zh} ${a.deadline}` : "", takesNotice(a) ? `${P.notice_no.zh} ${no}` : ""];
        return (
          <div key={a.id} class="print-measure">
            <Bi text={{ en: en.filter(Boolean).join(" — "), zh: zh.filter(Boolean).join("；") }} lang={lang} strong />
            {a.text ? <p class="as-written">{a.text}</p> : null}
          </div>
        );
      })}
      {doc.signatures.length ? (
        <>
          <Heading text={P.signatures} lang={lang} />
          {doc.signatures.map((s) => (
            <div key={s.id} class="print-signature">
              <p>{s.signer_name}</p>
              <Thumb photo={s} lang={lang} />
            </div>
          ))}
        </>
      ) : null}
      <Heading text={P.hash} lang={lang} />
      {doc.hash ? (
        <>
          <Bi text={{ en: `${P.hash_of.en}:`, zh: `${P.hash_of.zh}：` }} lang={lang} />
          <p class="hash" data-testid="print-hash">
            <code>{doc.hash}</code>
          </p>
          <Bi text={P.verify} lang={lang} />
        </>
      ) : (
        <Bi text={P.no_hash} lang={lang} />
      )}
    </article>
  );
}

export function PrintReport({ id, device }: { id: string; device: Device }) {
  const data = useLive(async () => {
    const base = await loadInspectionData(id);
    if (!base) return null;
    const [notes, actions, colleagues] = await Promise.all([
      byIndex<Note>("notes", "inspection", id),
      byIndex<Action>("actions", "inspection", id),
      getMeta<Colleague[]>("colleagues"),
    ]);
    // The numbers of the notices this device issued for the measures (by action id): printed, not left blank.
    const notices = (await Promise.all(actions.map((a) => byIndex<LocalNotice>("notices", "action", a.id)))).flat();
    return buildPrintDoc({
      inspection: base.inspection,
      establishment: base.establishment,
      items: (base.checklist?.definition.sections ?? []).flatMap((s) => s.items),
      findings: base.findings,
      notes,
      photos: base.photos,
      actions,
      notices,
      colleagues: colleagues ?? [],
      me: device.user,
    });
  }, [id]);
  const [lang, setLang] = useState<PrintLang>("both");
  if (data === undefined) return <p>…</p>;
  if (data === null) return <p>{`${both("insp.not_found").en} / ${both("insp.not_found").zh}`}</p>;
  return (
    <div class="stack">
      <div class="print-tools no-print" role="toolbar" aria-label={`${P.language.en} / ${P.language.zh}`}>
        <a class="btn" href={`#/inspections/${id}/review`}>
          {P.back.en} / {P.back.zh}
        </a>
        {LANGS.map((l) => {
          const label = P[`lang_${l}`];
          return (
            <button key={l} class="btn" aria-pressed={lang === l} onClick={() => setLang(l)} data-testid={`print-lang-${l}`}>
              {label.zh} / {label.en}
            </button>
          );
        })}
        <button class="btn primary" onClick={() => window.print()} data-testid="print-now">
          {P.print.en} / {P.print.zh}
        </button>
      </div>
      <Doc doc={data} lang={lang} />
    </div>
  );
}

// One inspection as the reviewer reads it: header, team, GPS check, findings by section with their legal basis,
// notes, photos (thumbnail; full size on demand), signatures, interviews, measures, hash, revisions with their
// differences, reviews, amendments; and the decision (approve, or return with a comment on any finding).
import { useEffect, useState } from "preact/hooks";
import type { SignedIn } from "../../auth";
import { call, evidenceUrl, problem } from "./deskapi";
import { bi, d, when } from "./strings";

type T2 = { en: string; zh: string };
interface Finding {
  status: string;
  value: string | null;
  note: string;
  workers_men: number;
  workers_women: number;
  workers_under_18: number;
  evidence: string[];
}
interface Item {
  checklist_key: string;
  item_id: string;
  text: T2;
  severity: string;
  citations: { line: T2; benchmark: boolean }[];
  finding: Finding | null;
  comment: string | null;
  changed: boolean;
}
interface Section {
  checklist_key: string;
  checklist_title: T2;
  id: string;
  title: T2;
  items: Item[];
}
interface Photo {
  id: string;
  item_id: string | null;
  sha256: string;
  preview_sha256: string | null;
}
interface Changes {
  header: string[];
  items_changed: string[];
  items_added: string[];
  items_removed: string[];
  parts: string[];
}
interface View {
  record: {
    id: string;
    status: string;
    type: string;
    visit_date: string | null;
    started_at: string | null;
    ended_at: string | null;
    location: string;
    employer_representative: string;
    workers_present: number | null;
    content_sha256: string | null;
    notes: { id: string; item_id: string; text: string; recorded_by: string }[];
    photos: Photo[];
    signatures: { id: string; signer_name: string; signer_role: string; signed_at: string | null; sha256: string }[];
    interviews: { id: string; men: number; women: number; under_18: number; note: string }[];
    measures: { id: string; measure: string; item_ids: string[]; text: string; deadline: string | null; status: string }[];
  };
  establishment: { name: string; address: string; isic: string; registration_number: string };
  district: T2;
  team: { id: string; name: string; lead: boolean }[];
  gps: {
    status: string;
    latitude: number | null;
    longitude: number | null;
    accuracy_m: number | null;
    distance_m: number | null;
    far: boolean;
    far_threshold_m: number;
    registered_latitude: number | null;
  };
  sections: Section[];
  submissions: { revision: number; sha256: string; submitted_at: string; submitted_by_name: string; changes: Changes | null }[];
  reviews: { revision: number; decision: string; comment: string; at: string; reviewer_name: string }[];
  amends: string[];
  amended_by: string | null;
}

function Thumb({ inspectionId, photo, n }: { inspectionId: string; photo: Photo; n: number }) {
  const [src, setSrc] = useState<string | null>(null);
  const [full, setFull] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    evidenceUrl(inspectionId, photo.preview_sha256 ?? photo.sha256).then(setSrc, () =>
      evidenceUrl(inspectionId, photo.sha256).then(setSrc, () => setFailed(true)),
    );
  }, [photo.sha256]);
  const alt = d("i.photo_alt", { n, item: photo.item_id ?? "—" });
  return (
    <figure>
      {failed ? <p>{d("i.photo_missing")}</p> : src ? <img src={src} alt={alt} data-testid="thumb" /> : <p>…</p>}
      <figcaption>
        <button
          class="btn"
          aria-expanded={full !== null}
          onClick={() =>
            full ? setFull(null) : evidenceUrl(inspectionId, photo.sha256).then(setFull, () => setFailed(true))
          }
        >
          {d("i.photo_full")}
        </button>
      </figcaption>
      {full ? (
        <div class="full" data-testid="photo-full">
          <img src={full} alt={alt} />
        </div>
      ) : null}
    </figure>
  );
}

function Differences({ c }: { c: Changes | null }) {
  if (!c) return <span>{d("i.diff_first")}</span>;
  const parts: string[] = [];
  if (c.header.length) parts.push(d("i.diff_header", { f: c.header.join(", ") }));
  if (c.items_changed.length) parts.push(d("i.diff_items", { f: c.items_changed.join(", ") }));
  if (c.items_added.length) parts.push(d("i.diff_added", { f: c.items_added.join(", ") }));
  if (c.parts.length) parts.push(d("i.diff_parts", { f: c.parts.join(", ") }));
  return <span data-testid="differences">{parts.length ? parts.join(" · ") : d("i.diff_none")}</span>;
}

export function InspectionDesk({ id, me }: { id: string; me: SignedIn }) {
  const [view, setView] = useState<View | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [comment, setComment] = useState("");
  const [itemComments, setItemComments] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call<View>(`/inspections/${id}/desk`).then(setView, (e) => setError(problem(e)));
  }, [id]);
  if (error && !view) return <p class="err-msg" role="alert">{error}</p>;
  if (!view) return <p>{d("common.loading")}</p>;
  const r = view.record;
  const g = view.gps;
  const photosByItem = new Map<string, Photo[]>();
  r.photos.forEach((p) => photosByItem.set(p.item_id ?? "", [...(photosByItem.get(p.item_id ?? "") ?? []), p]));
  const notesByItem = new Map<string, string[]>();
  r.notes.forEach((n) => notesByItem.set(n.item_id, [...(notesByItem.get(n.item_id) ?? []), n.text]));
  const reviewable = r.status === "submitted" && !view.amended_by && !view.team.some((m) => m.id === me.user.id);

  const decide = async (decision: "approve" | "return") => {
    if (decision === "return" && !comment.trim()) {
      setError(d("d.need_comment"));
      return;
    }
    setBusy(true);
    setError(null);
    const finding_comments = Object.entries(itemComments)
      .filter(([, c]) => c.trim())
      .map(([key, c]) => {
        const [checklist_key, item_id] = key.split("|");
        return { checklist_key, item_id, comment: c.trim() };
      });
    try {
      const body = decision === "approve" ? { decision } : { decision, comment, finding_comments };
      const next = await call<View>(`/inspections/${id}/decision`, { json: body });
      setView(next);
      setDone(decision === "approve" ? d("d.approved") : d("d.returned", { n: finding_comments.length }));
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <p>
        <a href="#/desk/queue">← {d("i.back")}</a>
      </p>
      <h1 data-testid="insp-title">
        {view.establishment.name} — {d(`type.${r.type}`)} · <span class="dk-tag">{d(`status.${r.status}`)}</span>
      </h1>
      <div class="split">
        <div>
          <section class="panel" aria-labelledby="h-visit">
            <h2 id="h-visit">{d("i.header")}</h2>
            <table>
              <tbody>
                <tr><th scope="row">{d("i.establishment")}</th><td>{view.establishment.name} ({view.establishment.registration_number}, ISIC {view.establishment.isic}) · {bi(view.district)}</td></tr>
                <tr><th scope="row">{d("i.address")}</th><td>{view.establishment.address}</td></tr>
                <tr><th scope="row">{d("q.visit")}</th><td>{r.visit_date ?? "—"}</td></tr>
                <tr><th scope="row">{d("i.times")}</th><td>{when(r.started_at)} – {when(r.ended_at)}</td></tr>
                <tr><th scope="row">{d("i.location")}</th><td>{r.location || "—"}</td></tr>
                <tr><th scope="row">{d("i.employer_rep")}</th><td>{r.employer_representative || "—"}</td></tr>
                <tr><th scope="row">{d("i.workers_present")}</th><td>{r.workers_present ?? "—"}</td></tr>
                <tr>
                  <th scope="row">{d("q.team")}</th>
                  <td data-testid="team">
                    {view.team.map((m) => (m.lead ? `${m.name} (${d("i.lead")})` : m.name)).join(", ")}
                  </td>
                </tr>
              </tbody>
            </table>
          </section>
          <section class="panel" aria-labelledby="h-gps" data-testid="gps">
            <h2 id="h-gps">{d("i.gps")}</h2>
            {g.latitude === null ? (
              <p>{d("i.gps_none", { status: g.status })}</p>
            ) : (
              <>
                <p>{d("i.gps_fix", { lat: g.latitude.toFixed(5), lon: (g.longitude ?? 0).toFixed(5), acc: g.accuracy_m ?? "?" })}</p>
                {g.distance_m === null ? (
                  <p>{d("i.no_registered")}</p>
                ) : (
                  <>
                    <p data-testid="gps-distance">{d("i.distance", { d: Math.round(g.distance_m) })}</p>
                    {g.far ? (
                      <p class="far" role="alert" data-testid="gps-far">⚠ {d("i.far", { t: g.far_threshold_m })}</p>
                    ) : (
                      <p class="nearok">✓ {d("i.near", { t: g.far_threshold_m })}</p>
                    )}
                  </>
                )}
              </>
            )}
          </section>
          <section aria-labelledby="h-findings">
            <h2 id="h-findings">{d("i.findings")}</h2>
            {view.sections.map((s) => (
              <section class="panel" key={`${s.checklist_key}/${s.id}`} aria-labelledby={`s-${s.checklist_key}-${s.id}`}>
                <h3 id={`s-${s.checklist_key}-${s.id}`}>
                  {bi(s.checklist_title)} — {bi(s.title)}
                </h3>
                {s.items.map((it) => {
                  const f = it.finding;
                  const key = `${it.checklist_key}|${it.item_id}`;
                  const photos = photosByItem.get(it.item_id) ?? [];
                  return (
                    <div class={`dk-item${it.changed ? " changed" : ""}`} key={key} data-testid="desk-item" data-item={it.item_id}>
                      <div>
                        <p>
                          <strong>{bi(it.text)}</strong> <span class="dk-tag">{d(`sev.${it.severity}`)}</span>
                          {it.changed ? <span class="dk-tag" data-testid="changed"> ✎ {d("i.changed")}</span> : null}
                        </p>
                        <p class="dk-legal">
                          {d("i.legal")}: {it.citations.map((c) => bi(c.line)).join(currentSep())}
                        </p>
                        <p class={`status-${f?.status ?? "none"}`}>
                          {f ? d(`st.${f.status}`) : d("st.unanswered")}
                          {f?.value ? ` — ${f.value}` : ""}
                        </p>
                        {f?.note ? <p>{d("i.note")}: {f.note}</p> : null}
                        {f && f.workers_men + f.workers_women + f.workers_under_18 > 0 ? (
                          <p>{d("i.workers", { m: f.workers_men, w: f.workers_women, u: f.workers_under_18 })}</p>
                        ) : null}
                        {(notesByItem.get(it.item_id) ?? []).map((n, i) => (
                          <p key={i}>✎ {n}</p>
                        ))}
                        {photos.length ? (
                          <div class="thumbs">
                            {photos.map((p, i) => (
                              <Thumb key={p.id} inspectionId={r.id} photo={p} n={i + 1} />
                            ))}
                          </div>
                        ) : null}
                      </div>
                      <div>
                        {it.comment ? (
                          <p class="comment-given">
                            <strong>{d("i.given_comment")}:</strong> {it.comment}
                          </p>
                        ) : null}
                        {reviewable ? (
                          <label class="form">
                            {d("i.your_comment")}
                            <textarea
                              rows={2}
                              maxLength={4000}
                              value={itemComments[key] ?? ""}
                              onInput={(e) => setItemComments({ ...itemComments, [key]: e.currentTarget.value })}
                              data-testid="item-comment"
                            />
                          </label>
                        ) : null}
                      </div>
                    </div>
                  );
                })}
              </section>
            ))}
          </section>
          {(photosByItem.get("") ?? []).length ? (
            <section class="panel" aria-labelledby="h-photos">
              <h2 id="h-photos">{d("i.photos")}</h2>
              <div class="thumbs">
                {(photosByItem.get("") ?? []).map((p, i) => (
                  <Thumb key={p.id} inspectionId={r.id} photo={p} n={i + 1} />
                ))}
              </div>
            </section>
          ) : null}
          <div class="pair">
            <section class="panel" aria-labelledby="h-sig">
              <h2 id="h-sig">{d("i.signatures")}</h2>
              {r.signatures.length ? (
                <ul>
                  {r.signatures.map((s) => (
                    <li key={s.id}>{d("i.signed_by", { name: s.signer_name, role: s.signer_role, at: when(s.signed_at) })}</li>
                  ))}
                </ul>
              ) : (
                <p>{d("common.none")}</p>
              )}
            </section>
            <section class="panel" aria-labelledby="h-int">
              <h2 id="h-int">{d("i.interviews")}</h2>
              {r.interviews.length ? (
                <ul>
                  {r.interviews.map((i) => (
                    <li key={i.id}>
                      {d("i.interview", { m: i.men, w: i.women, u: i.under_18 })}
                      {i.note ? ` — ${i.note}` : ""}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>{d("common.none")}</p>
              )}
            </section>
          </div>
          <section class="panel" aria-labelledby="h-meas">
            <h2 id="h-meas">{d("i.measures")}</h2>
            {r.measures.length ? (
              <ul>
                {r.measures.map((m) => (
                  <li key={m.id}>
                    {m.measure} ({m.item_ids.join(", ")}) {m.text} {m.deadline ? d("i.deadline", { d: m.deadline }) : ""} · {m.status}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{d("common.none")}</p>
            )}
          </section>
        </div>
        <aside class="sticky">
          <section class="panel" aria-labelledby="h-decision">
            <h2 id="h-decision">{d("d.title")}</h2>
            {done ? <p class="ok-msg" role="status" data-testid="decision-done">{done}</p> : null}
            {error ? <p class="err-msg" role="alert">{error}</p> : null}
            {reviewable ? (
              <>
                <label class="form">
                  {d("d.comment")}
                  <textarea rows={4} maxLength={4000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} data-testid="overall-comment" />
                </label>
                <div class="row">
                  <button class="btn primary" disabled={busy} onClick={() => void decide("approve")} data-testid="approve">
                    {d("d.approve")}
                  </button>
                  <button class="btn" disabled={busy} onClick={() => void decide("return")} data-testid="return">
                    {d("d.return")}
                  </button>
                </div>
              </>
            ) : done ? null : (
              <p>{view.amended_by ? d("i.amended_by") : d("d.not_reviewable", { status: d(`status.${r.status}`) })}</p>
            )}
          </section>
          <section class="panel" aria-labelledby="h-rev">
            <h2 id="h-rev">{d("i.revisions")}</h2>
            <p>
              {d("i.hash")}: <span class="mono" data-testid="hash">{r.content_sha256 ?? "—"}</span>
            </p>
            <ol>
              {view.submissions.map((s) => (
                <li key={s.revision}>
                  {d("i.rev", { n: s.revision, at: when(s.submitted_at), name: s.submitted_by_name })}:{" "}
                  <Differences c={s.changes} />
                </li>
              ))}
            </ol>
            <h3>{d("i.reviews")}</h3>
            <ul>
              {view.reviews.map((v, i) => (
                <li key={i}>
                  {d("i.review", { decision: d(`d.decision.${v.decision}`), name: v.reviewer_name, at: when(v.at), comment: v.comment || "—" })}
                </li>
              ))}
            </ul>
            {view.amends.length || view.amended_by ? (
              <>
                <h3>{d("i.amendments")}</h3>
                {view.amends.length ? <p>{d("i.amends")}: {view.amends.map((a) => <a key={a} href={`#/desk/inspection/${a}`}>{a.slice(0, 8)} </a>)}</p> : null}
                {view.amended_by ? <p><a href={`#/desk/inspection/${view.amended_by}`}>{d("i.amended_by")}</a></p> : null}
              </>
            ) : null}
          </section>
        </aside>
      </div>
    </div>
  );
}

function currentSep(): string {
  return document.documentElement.lang.startsWith("zh") ? "；" : "; ";
}

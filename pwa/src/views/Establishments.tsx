// Offline search of the district's establishment registry.
import { useState } from "preact/hooks";
import { getAll } from "../db";
import { useLive } from "../hooks";
import { t } from "../i18n";
import type { Establishment } from "../types";

const SHOWN = 50;

export function Establishments() {
  const [query, setQuery] = useState("");
  const all = useLive(() => getAll<Establishment>("establishments"), []);
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (all ?? []).filter((e) => words.every((w) => (e.search ?? e.name.toLowerCase()).includes(w) || e.isic.startsWith(w)));
  return (
    <div class="stack">
      <div class="row spread">
        <h1>{t("est.title")}</h1>
        <a class="btn" href="#/complaint" data-testid="record-unregistered-complaint">
          {t("complaint.record_unregistered")}
        </a>
      </div>
      <label class="search">
        {t("est.search")}
        <input
          type="search"
          value={query}
          placeholder={t("est.search_placeholder")}
          onInput={(e) => setQuery(e.currentTarget.value)}
          data-testid="est-search"
        />
      </label>
      <p class="muted" role="status">
        {t("est.count", { shown: Math.min(SHOWN, matches.length), total: matches.length })}
      </p>
      <ul class="list">
        {matches
          .sort((a, b) => a.name.localeCompare(b.name))
          .slice(0, SHOWN)
          .map((e) => (
            <li key={e.id}>
              <a class="rowlink" href={`#/establishments/${e.id}`}>
                <strong>{e.name}</strong>
                <span>
                  {e.address} · ISIC {e.isic} · {t("est.workers", { n: e.workers_total })}
                </span>
              </a>
            </li>
          ))}
      </ul>
    </div>
  );
}

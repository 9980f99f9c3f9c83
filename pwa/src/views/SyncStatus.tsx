// Sync status: outbox entries with state and last error, storage used, persistence, "Sync now".
import { useEffect, useState } from "preact/hooks";
import { getAll, getMeta } from "../db";
import { useLive } from "../hooks";
import { formatTime, t } from "../i18n";
import { AUTH_EXPIRED, isOffline, onSyncState, syncNow, syncState, unblock } from "../sync";
import type { OutboxEntry, Photo } from "../types";

function mb(bytes: number | undefined): string {
  return bytes === undefined ? "?" : (bytes / 1024 / 1024).toFixed(1);
}

export function SyncStatus() {
  const data = useLive(async () => {
    const [outbox, photos, persistedAtLogin] = await Promise.all([
      getAll<OutboxEntry>("outbox"),
      getAll<Photo>("photos"),
      getMeta<boolean>("persisted"),
    ]);
    return { outbox: outbox.sort((a, b) => a.seq - b.seq), photos: photos.filter((p) => !p.uploaded), persistedAtLogin };
  }, []);
  const [state, setState] = useState(syncState());
  const [storage, setStorage] = useState<{ usage?: number; quota?: number; persisted?: boolean } | null>(null);
  useEffect(() => onSyncState(setState), []);
  useEffect(() => {
    void (async () => {
      const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : {};
      const persisted = navigator.storage?.persisted ? await navigator.storage.persisted() : undefined;
      setStorage({ ...estimate, persisted });
    })();
  }, [data]);
  const requestPersist = async () => {
    const persisted = navigator.storage?.persist ? await navigator.storage.persist() : false;
    setStorage((s) => ({ ...s, persisted }));
  };
  return (
    <div class="stack">
      <div class="row spread">
        <h1>{t("sync.title")}</h1>
        <button class="btn primary" onClick={() => void syncNow()} disabled={state.running} data-testid="sync-now">
          {state.running ? t("sync.running") : t("sync.now")}
        </button>
      </div>
      <dl class="card facts">
        <dt>{t("sync.pending_label")}</dt>
        <dd data-testid="outbox-count">{data?.outbox.length ?? "…"}</dd>
        <dt>{t("sync.photos_pending")}</dt>
        <dd>{data?.photos.length ?? "…"}</dd>
        <dt>{t("sync.last_success_label")}</dt>
        <dd>{formatTime(state.last_success)}</dd>
        <dt>{t("sync.last_attempt")}</dt>
        <dd>{formatTime(state.last_attempt)}</dd>
        <dt>{t("sync.last_error")}</dt>
        <dd class={state.last_error && !isOffline(state.last_error) ? "err" : ""} data-testid="last-error">
          {isOffline(state.last_error) ? t("sync.offline_detail") : (state.last_error ?? "—")}
          {state.last_error && state.next_retry && !state.blocked ? (
            <span class="muted"> · {t("sync.next_retry", { when: formatTime(state.next_retry) })}</span>
          ) : null}
        </dd>
        <dt>{t("sync.storage")}</dt>
        <dd data-testid="storage">
          {t("sync.storage_detail", { used: mb(storage?.usage), quota: mb(storage?.quota) })}
        </dd>
        <dt>{t("sync.persisted")}</dt>
        <dd data-testid="persisted">
          {storage?.persisted === undefined ? "…" : storage.persisted ? t("common.yes") : t("sync.not_persisted")}
          {storage && !storage.persisted ? (
            <button class="btn" onClick={requestPersist}>
              {t("sync.request_persist")}
            </button>
          ) : null}
        </dd>
      </dl>
      {state.blocked && state.blocked !== AUTH_EXPIRED ? (
        <div class="banner error" role="alert">
          <p>{t("sync.blocked", { code: state.blocked })}</p>
          <button class="btn" onClick={unblock}>
            {t("sync.retry")}
          </button>
        </div>
      ) : null}
      {data?.photos.some((p) => p.upload_error) ? (
        <section class="card" data-testid="photo-errors">
          <h2>{t("sync.photo_errors")}</h2>
          <ul class="list">
            {data.photos
              .filter((p) => p.upload_error)
              .map((p) => (
                <li key={p.id} class="err">
                  {p.sha256.slice(0, 12)}… — {p.upload_error}
                </li>
              ))}
          </ul>
        </section>
      ) : null}
      <section class="card">
        <h2>{t("sync.outbox")}</h2>
        {data?.outbox.length ? (
          <table class="outbox">
            <thead>
              <tr>
                <th>#</th>
                <th>{t("sync.col_change")}</th>
                <th>{t("sync.col_state")}</th>
                <th>{t("sync.col_error")}</th>
              </tr>
            </thead>
            <tbody>
              {data.outbox.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{e.name}</td>
                  <td>{e.attempts ? t("sync.state_retrying", { n: e.attempts }) : t("sync.state_waiting")}</td>
                  <td>{e.last_error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">{t("sync.outbox_empty")}</p>
        )}
      </section>
    </div>
  );
}

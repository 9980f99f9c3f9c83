// The sync badge: unsynced changes, last successful sync, and the last error.
import { useEffect, useState } from "preact/hooks";
import { getAll } from "../db";
import { useLive, useOnline } from "../hooks";
import { formatTime, t } from "../i18n";
import { isOffline, onSyncState, syncState } from "../sync";

export function SyncBadge() {
  const pending = useLive(async () => (await getAll("outbox")).length, []);
  const [state, setState] = useState(syncState());
  useEffect(() => onSyncState(setState), []);
  const online = useOnline();
  // No network is the ordinary state of field work: shown plainly as offline, not as an error.
  const offline = !state.blocked && (!online || isOffline(state.last_error));
  const failed = !offline && (state.last_error || state.blocked);
  const cls = failed ? "badge warn" : offline ? "badge offline" : pending ? "badge pending" : "badge ok";
  return (
    <a class={cls} href="#/sync" data-testid="sync-badge" aria-label={t("sync.badge_label")}>
      <span data-testid="pending-count">{t("sync.pending", { n: pending ?? 0 })}</span>
      <span class="small">
        {state.running ? t("sync.running") : t("sync.last_success", { when: formatTime(state.last_success) })}
      </span>
      {offline ? (
        <span class="small" data-testid="offline">
          {t("sync.offline")}
        </span>
      ) : failed ? (
        <span class="small err">{t("sync.error_short", { code: state.blocked ?? state.last_error ?? "" })}</span>
      ) : null}
    </a>
  );
}

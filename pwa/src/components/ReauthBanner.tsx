// "Sign in again": shown while the server refuses this tablet's token (401). The outbox is kept; after the
// password is checked online the same device continues (or a new registration takes over its unsent changes).
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";
import { signInAgain } from "../auth";
import { t } from "../i18n";
import { AUTH_EXPIRED, onSyncState, resumeAs, syncState } from "../sync";
import type { Device } from "../types";
import { apiMessage } from "../views/SignIn";

export function ReauthBanner({ device, onDevice }: { device: Device; onDevice: (d: Device) => void }) {
  const [state, setState] = useState(syncState());
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => onSyncState(setState), []);
  if (state.blocked !== AUTH_EXPIRED) return null;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await signInAgain(device, password);
      setPassword("");
      onDevice(next);
      await resumeAs(next.id);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t("signin.invalid") : apiMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="banner error reauth" role="alert" data-testid="reauth" onSubmit={submit}>
      <p>
        <strong>{t("reauth.title")}</strong> {t("reauth.intro")}
      </p>
      <label>
        {t("signin.password")}
        <input
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </label>
      {error ? <p class="err">{error}</p> : null}
      <button class="btn primary" type="submit" disabled={busy}>
        {busy ? t("common.working") : t("reauth.submit")}
      </button>
    </form>
  );
}

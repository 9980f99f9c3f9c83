// Offline unlock with the sign-in password, verified on the device (PBKDF2 via WebCrypto).
import { useState } from "preact/hooks";
import { unlock } from "../auth";
import { LangSwitch } from "../components/Layout";
import { t } from "../i18n";
import type { Device } from "../types";

export function Unlock({ device, onUnlocked }: { device: Device; onUnlocked: () => void }) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const ok = await unlock(device, password).catch(() => false);
    setBusy(false);
    if (ok) onUnlocked();
    else setError(t("unlock.wrong"));
  };
  return (
    <form class="card narrow" onSubmit={submit}>
      <div class="row spread">
        <h1>{t("unlock.title")}</h1>
        <LangSwitch />
      </div>
      <p>{t("unlock.intro", { name: device.user.name, email: device.user.email })}</p>
      <label>
        {t("signin.password")}
        <input
          type="password"
          autocomplete="current-password"
          required
          autoFocus
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </label>
      {error ? <p class="err" role="alert">{error}</p> : null}
      <button class="btn primary" type="submit" disabled={busy}>
        {busy ? t("common.working") : t("unlock.submit")}
      </button>
    </form>
  );
}

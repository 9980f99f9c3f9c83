// Device registration after sign-in, then the first download of checklists and establishments.
import { useState } from "preact/hooks";
import { registerDevice, type SignedIn } from "../auth";
import { setMeta } from "../db";
import { t } from "../i18n";
import { refreshReference } from "../reference";
import type { Device } from "../types";
import { apiMessage } from "./SignIn";

export function Register({ signedIn, onRegistered }: { signedIn: SignedIn; onRegistered: (d: Device) => void }) {
  const [name, setName] = useState(`${signedIn.user.name} — tablet`);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const device = await registerDevice(signedIn, name.trim());
      const persisted = navigator.storage?.persist ? await navigator.storage.persist() : false;
      await setMeta("persisted", persisted);
      setProgress(0);
      await refreshReference(true, setProgress);
      onRegistered(device);
    } catch (err) {
      setError(apiMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card narrow" onSubmit={submit}>
      <h1>{t("register.title")}</h1>
      <p>{t("register.intro", { name: signedIn.user.name })}</p>
      <label>
        {t("register.name")}
        <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      {progress !== null ? <p role="status">{t("register.downloading", { n: progress })}</p> : null}
      {error ? <p class="err" role="alert">{error}</p> : null}
      <button class="btn primary" type="submit" disabled={busy}>
        {busy ? t("common.working") : t("register.submit")}
      </button>
    </form>
  );
}

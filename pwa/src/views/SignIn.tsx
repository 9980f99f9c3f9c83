// Sign in (online): e-mail and password against the server.
import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { signIn, type SignedIn } from "../auth";
import { LangSwitch } from "../components/Layout";
import { t } from "../i18n";

export function apiMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t("error.offline_needed");
    return `${t("error.server")}: ${error.message} (${error.code})`;
  }
  return String(error);
}

export function SignIn({ onSignedIn }: { onSignedIn: (s: SignedIn) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(email.trim(), password));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t("signin.invalid") : apiMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card narrow" onSubmit={submit}>
      <div class="row spread">
        <h1>{t("signin.title")}</h1>
        <LangSwitch />
      </div>
      <p>{t("signin.intro")}</p>
      <label>
        {t("signin.email")}
        <input type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
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
      {error ? <p class="err" role="alert">{error}</p> : null}
      <button class="btn primary" type="submit" disabled={busy}>
        {busy ? t("common.working") : t("signin.submit")}
      </button>
    </form>
  );
}

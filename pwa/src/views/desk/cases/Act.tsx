// One desk action: runs a request, shows the server's refusal (problem+json code) where it happened, then reloads.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { t } from "../../../i18n";
import { apiMessage } from "../../SignIn";

export function Act(props: {
  label: string;
  run: () => Promise<unknown>;
  done: () => void;
  testid: string;
  disabled?: boolean;
  children?: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const go = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.run();
      props.done();
    } catch (err) {
      setError(apiMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="row" onSubmit={go}>
      {props.children}
      <button class="btn" type="submit" disabled={busy || props.disabled} data-testid={props.testid}>
        {busy ? t("common.working") : props.label}
      </button>
      {error ? <span class="err" role="alert">{error}</span> : null}
    </form>
  );
}

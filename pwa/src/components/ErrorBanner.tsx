// Every storage or app error is shown here until the user dismisses it.
import { useEffect, useState } from "preact/hooks";
import { onError, type AppError } from "../errors";
import { t } from "../i18n";

export function ErrorBanner() {
  const [errors, setErrors] = useState<AppError[]>([]);
  useEffect(() => onError((e) => setErrors((list) => [...list.slice(-4), e])), []);
  if (!errors.length) return null;
  return (
    <div class="banner error" role="alert">
      {errors.map((e) => (
        <p key={e.at}>
          <strong>{t(e.key)}</strong>
          {e.detail ? <span class="detail"> — {e.detail}</span> : null}
        </p>
      ))}
      <button class="btn" onClick={() => setErrors([])}>
        {t("common.dismiss")}
      </button>
    </div>
  );
}

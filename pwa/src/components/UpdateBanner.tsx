// "A new version is ready — reload": shown when an updated service worker is waiting; never automatic.
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n";
import { applyUpdate, onUpdateReady } from "../swclient";

export function UpdateBanner() {
  const [ready, setReady] = useState(false);
  useEffect(() => onUpdateReady(() => setReady(true)), []);
  if (!ready) return null;
  return (
    <div class="banner info" role="status">
      <p>{t("update.ready")}</p>
      <button class="btn primary" onClick={applyUpdate}>
        {t("update.reload")}
      </button>
    </div>
  );
}

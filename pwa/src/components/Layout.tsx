// The frame around every signed-in screen: navigation, language, sync badge, banners, sign-out.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { signOutAtServer } from "../auth";
import { getAll, wipe } from "../db";
import { currentLang, setLang, t } from "../i18n";
import type { Device, Inspection, Photo } from "../types";
import { ErrorBanner } from "./ErrorBanner";
import { ReauthBanner } from "./ReauthBanner";
import { SyncBadge } from "./SyncBadge";
import { UpdateBanner } from "./UpdateBanner";

export function LangSwitch() {
  const other = currentLang() === "en" ? "zh" : "en";
  return (
    <button class="btn" lang={other === "zh" ? "zh-CN" : "en"} onClick={() => setLang(other)} data-testid="lang">
      {other === "zh" ? "中文" : "English"}
    </button>
  );
}

async function unsyncedCount(): Promise<number> {
  const [outbox, photos, inspections] = await Promise.all([
    getAll("outbox"),
    getAll<Photo>("photos"),
    getAll<Inspection>("inspections"),
  ]);
  return (
    outbox.length +
    photos.filter((p) => !p.uploaded).length +
    inspections.filter((i) => i.status === "submit_queued").length
  );
}

function SignOut() {
  const [message, setMessage] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const start = async () => {
    const n = await unsyncedCount();
    if (n > 0) {
      setMessage(t("signout.refused", { n }));
      return;
    }
    setConfirm(true);
  };
  const doIt = async () => {
    try {
      await signOutAtServer(); // the device token revoked first (hardening, issue 21)
    } catch {
      setConfirm(false);
      setMessage(t("signout.offline"));
      return;
    }
    await wipe();
    location.hash = "#/";
    location.reload();
  };
  return (
    <div class="signout">
      <button class="btn" onClick={start} data-testid="signout">
        {t("signout.button")}
      </button>
      {message ? (
        <div class="banner error" role="alert">
          <p>{message}</p>
          <a class="btn" href="#/sync" onClick={() => setMessage(null)}>
            {t("nav.sync")}
          </a>
          <button class="btn" onClick={() => setMessage(null)}>
            {t("common.close")}
          </button>
        </div>
      ) : null}
      {confirm ? (
        <div class="banner info" role="alertdialog">
          <p>{t("signout.confirm")}</p>
          <button class="btn danger" onClick={doIt}>
            {t("signout.button")}
          </button>
          <button class="btn" onClick={() => setConfirm(false)}>
            {t("common.cancel")}
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function Layout({
  device,
  onDevice,
  children,
}: {
  device: Device;
  onDevice: (d: Device) => void;
  children: ComponentChildren;
}) {
  useEffect(() => {
    // After a screen change, move focus to the new screen so keyboard and screen-reader users follow.
    const focusMain = () => requestAnimationFrame(() => document.getElementById("main")?.focus({ preventScroll: false }));
    window.addEventListener("hashchange", focusMain);
    return () => window.removeEventListener("hashchange", focusMain);
  }, []);
  useEffect(() => {
    // The header wraps to two rows on narrower tablets: sticky bars below it (the checklist's sections) use its
    // real height, so they are never hidden under it.
    const header = document.querySelector<HTMLElement>("header.top");
    if (!header || typeof ResizeObserver !== "function") return;
    const set = () => document.documentElement.style.setProperty("--top-h", `${header.offsetHeight}px`);
    const observer = new ResizeObserver(set);
    observer.observe(header);
    set();
    return () => observer.disconnect();
  }, []);
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        {t("nav.skip")}
      </a>
      <header class="top">
        <a class="brand" href="#/">
          {t("app.title")}
        </a>
        <nav aria-label={t("nav.label")}>
          <a href="#/">{t("nav.home")}</a>
          <a href="#/establishments">{t("nav.establishments")}</a>
          <a href="#/conflicts">{t("nav.conflicts")}</a>
          <a href="#/sync">{t("nav.sync")}</a>
        </nav>
        <SyncBadge />
        <span class="who">{device.user.name}</span>
        <LangSwitch />
        <SignOut />
      </header>
      <UpdateBanner />
      <ErrorBanner />
      <ReauthBanner device={device} onDevice={onDevice} />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

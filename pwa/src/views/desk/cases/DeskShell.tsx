// The supervisor's workspace for cases (#/desk/...): complaints, accidents and the risk-based plan. Signs in with
// e-mail and password each session (online only); the tablet's device is not involved.
import { useState } from "preact/hooks";
import type { SignedIn } from "../../../auth";
import { ErrorBanner } from "../../../components/ErrorBanner";
import { LangSwitch } from "../../../components/Layout";
import { useRoute } from "../../../hooks";
import { t } from "../../../i18n";
import { SignIn } from "../../SignIn";
import { Accidents } from "./Accidents";
import { Campaigns } from "./Campaigns";
import { Complaints } from "./Complaints";
import { Desk } from "./deskapi";
import { Plan } from "./Plan";

export function DeskShell() {
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  const [, section] = useRoute();
  if (!signedIn) {
    return (
      <div class="shell">
        <ErrorBanner />
        <main class="auth">
          <SignIn onSignedIn={setSignedIn} />
        </main>
      </div>
    );
  }
  const desk = new Desk(signedIn.accessToken);
  const tab = (name: string, label: string) => (
    <a class={`btn${section === name ? " primary" : ""}`} href={`#/desk/${name}`} data-testid={`desk-${name}`}>
      {label}
    </a>
  );
  return (
    <div class="shell">
      <ErrorBanner />
      <header class="row spread">
        <strong>{t("desk.title", { name: signedIn.user.name })}</strong>
        <nav class="row">
          {tab("complaints", t("desk.complaints"))}
          {tab("accidents", t("desk.accidents"))}
          {tab("plan", t("desk.plan"))}
          {tab("campaigns", t("desk.campaigns"))}
          <LangSwitch />
        </nav>
      </header>
      <main class="stack">
        {section === "accidents" ? (
          <Accidents desk={desk} />
        ) : section === "plan" ? (
          <Plan desk={desk} />
        ) : section === "campaigns" ? (
          <Campaigns desk={desk} />
        ) : (
          <Complaints desk={desk} />
        )}
      </main>
    </div>
  );
}

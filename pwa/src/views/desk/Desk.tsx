// The desk's shell: header, role-based navigation and the routed screen (#/desk/<screen>/<id>). Other areas add
// a screen by adding an entry to SCREENS (and its nav label).
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import type { SignedIn } from "../../auth";
import { LangSwitch } from "../../components/Layout";
import { useLangVersion, useRoute } from "../../hooks";
import { Admin } from "./Admin";
import { Assign } from "./Assign";
import { Cases } from "./cases/Cases";
import { Dashboard } from "./Dashboard";
import { Exports } from "./Exports";
import { useBearer } from "./deskapi";
import { EstablishmentTimeline } from "./EstablishmentTimeline";
import { InspectionDesk } from "./InspectionDesk";
import { Queue } from "./Queue";
import { type Renewed, useRenewal } from "./renewal";
import { d } from "./strings";
import { installStyle } from "./style";

export interface Screen {
  key: string;
  label: string; // a desk string key
  roles: string[];
  render: (id: string | undefined, me: SignedIn) => ComponentChildren;
}

export const SCREENS: Screen[] = [
  { key: "queue", label: "nav.queue", roles: ["supervisor", "admin"], render: () => <Queue /> },
  { key: "assign", label: "nav.assign", roles: ["supervisor", "admin"], render: () => <Assign /> },
  { key: "dashboard", label: "nav.dashboard", roles: ["supervisor", "admin"], render: () => <Dashboard /> },
  { key: "admin", label: "nav.admin", roles: ["admin"], render: (id, me) => <Admin tab={id} me={me} /> },
  // complaints, accidents and planning (issue 18): the case screens of pwa/src/views/desk/cases/
  { key: "cases", label: "nav.cases", roles: ["supervisor", "admin"], render: (tab, me) => <Cases tab={tab} token={me.accessToken} /> },
  // data exports (issue 19): the statistician's screen too
  { key: "exports", label: "nav.exports", roles: ["supervisor", "admin", "statistician"], render: (_, me) => <Exports token={me.accessToken} /> },
];

interface Props {
  signedIn: SignedIn;
  onSignOut: () => void;
  onRegister: () => void;
  onRenewed: (r: Renewed) => void;
}

export function Desk({ signedIn, onSignOut, onRegister, onRenewed }: Props) {
  useLangVersion();
  installStyle();
  useBearer(signedIn.accessToken, onSignOut);
  const session = useRenewal(signedIn.accessToken, signedIn.expiresAt, onRenewed, onSignOut);
  const [, screen, id] = useRoute();
  const role = signedIn.user.role;
  const mine = SCREENS.filter((s) => s.roles.includes(role));
  const current = screen === "inspection" || screen === "establishment" ? null : (mine.find((s) => s.key === screen) ?? mine[0]);
  useEffect(() => {
    document.title = `${d(current ? current.label : "i.header")} — ${d("desk.title")}`;
  });
  return (
    <div class="desk">
      <a class="skip" href="#desk-main" onClick={(e) => (e.preventDefault(), document.getElementById("desk-main")?.focus())}>
        {d("nav.skip")}
      </a>
      <header class="desk-head">
        <span class="desk-brand">{d("desk.title")}</span>
        <nav aria-label={d("nav.label")}>
          <ul>
            {mine.map((s) => (
              <li key={s.key}>
                <a href={`#/desk/${s.key}`} data-testid={`desk-nav-${s.key}`} aria-current={current?.key === s.key ? "page" : undefined}>
                  {d(s.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="desk-user" data-testid="desk-user">
          {signedIn.user.name} · {d(`role.${role}`)}
        </span>
        <LangSwitch />
        <button class="btn" onClick={onRegister}>
          {d("nav.register")}
        </button>
        <button class="btn" onClick={onSignOut}>
          {d("nav.signout")}
        </button>
      </header>
      {session.warning && <IdleWarning stay={session.stay} />}
      <main id="desk-main" class="desk-main" tabIndex={-1}>
        {screen === "inspection" && id ? (
          <InspectionDesk id={id} me={signedIn} />
        ) : screen === "establishment" && id ? (
          <EstablishmentTimeline id={id} />
        ) : current ? (
          current.render(id, signedIn)
        ) : null}
      </main>
    </div>
  );
}

/** Two minutes before an idle session ends: said at once to screen readers, focus on the one action that extends it. */
function IdleWarning({ stay }: { stay: () => void }) {
  const button = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => button.current?.focus(), []);
  return (
    <div class="desk-idle" role="alertdialog" aria-labelledby="desk-idle-text" data-testid="idle-warning">
      <p id="desk-idle-text">{d("session.idle")}</p>
      <button ref={button} class="btn primary" onClick={stay}>
        {d("session.stay")}
      </button>
    </div>
  );
}

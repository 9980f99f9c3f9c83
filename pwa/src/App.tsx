// The app shell: sign-in / device registration / offline unlock, then the routed screens.
import { useEffect, useState } from "preact/hooks";
import { setToken } from "./api";
import { loadDevice, type SignedIn, signOutAtServer } from "./auth";
import { ErrorBanner } from "./components/ErrorBanner";
import { Layout } from "./components/Layout";
import { emitError } from "./errors";
import { useLangVersion, useRoute } from "./hooks";
import { checkInvariant } from "./outbox";
import { startSync } from "./sync";
import { recoverTyping } from "./typing";
import type { Device } from "./types";
import { AccidentReport } from "./views/AccidentReport";
import { ComplaintIntake } from "./views/ComplaintIntake";
import { DiseaseReport } from "./views/DiseaseReport";
import { Conflicts } from "./views/Conflicts";
import { EstablishmentProfile } from "./views/EstablishmentProfile";
import { Establishments } from "./views/Establishments";
import { Home } from "./views/Home";
import { Checklist } from "./views/Checklist";
import { Interviews } from "./views/Interviews";
import { Measures } from "./views/Measures";
import { PrintReport } from "./views/PrintReport";
import { Register } from "./views/Register";
import { Review } from "./views/Review";
import { SignIn } from "./views/SignIn";
import { StartInspection } from "./views/StartInspection";
import { SyncStatus } from "./views/SyncStatus";
import { Unlock } from "./views/Unlock";
import { Wiped } from "./views/Wiped";
import { onWiped, wipeIfTold } from "./wipe";
import { t } from "./i18n";

type Phase =
  | { name: "loading" }
  | { name: "desk"; signedIn: SignedIn }
  | { name: "signin" }
  | { name: "register"; signedIn: SignedIn }
  | { name: "locked"; device: Device }
  | { name: "ready"; device: Device }
  | { name: "wiped"; unsent: number };

function Screen({ device }: { device: Device }) {
  const [head, id, sub] = useRoute();
  switch (head) {
    case "establishments":
      return id ? <EstablishmentProfile id={id} /> : <Establishments />;
    case "start":
      return <StartInspection establishmentId={id} device={device} />;
    case "inspections":
      if (sub === "interviews") return <Interviews id={id} />;
      if (sub === "measures") return <Measures id={id} />;
      if (sub === "review") return <Review id={id} device={device} />;
      if (sub === "print") return <PrintReport id={id} device={device} />;
      return <Checklist id={id} />;
    case "sync":
      return <SyncStatus />;
    case "conflicts":
      return <Conflicts device={device} />;
    case "complaint":
      return <ComplaintIntake establishmentId={id ?? ""} device={device} />;
    case "accident":
      return <AccidentReport establishmentId={id} />;
    case "disease":
      return <DiseaseReport establishmentId={id} />;
    default:
      return <Home device={device} />;
  }
}

// Supervisors and admins work at the desk online, signed in with their password, without registering a device
// (the desk's code is its own bundle, loaded here on demand: the tablet's bundle does not carry it).
const DESK_ROLES = new Set(["supervisor", "admin", "statistician"]); // statistician: exports (issue 19)
const DESK_KEY = "li-desk-session";

function deskSession(): SignedIn | null {
  try {
    const saved = sessionStorage.getItem(DESK_KEY);
    return saved ? (JSON.parse(saved) as SignedIn) : null;
  } catch {
    return null;
  }
}

function openDesk(signedIn: SignedIn): Phase {
  try {
    sessionStorage.setItem(DESK_KEY, JSON.stringify({ ...signedIn, password: "" }));
  } catch {
    /* a reload signs in again */
  }
  if (!location.hash.startsWith("#/desk")) location.hash = "#/desk";
  return { name: "desk", signedIn: { ...signedIn, password: "" } };
}

function closeDesk(): void {
  try {
    sessionStorage.removeItem(DESK_KEY);
  } catch {
    /* nothing kept */
  }
}

type DeskProps = {
  signedIn: SignedIn;
  onSignOut: () => void;
  onRegister: () => void;
  onRenewed: (r: { accessToken: string; expiresAt: number }) => void;
};

function DeskLoader(props: DeskProps) {
  const [Desk, setDesk] = useState<((p: DeskProps) => preact.JSX.Element) | null>(null);
  useEffect(() => {
    import("./views/desk/Desk").then(
      (m) => setDesk(() => m.Desk),
      (e) => emitError("error.read_failed", e),
    );
  }, []);
  return Desk ? <Desk {...props} /> : <p class="center">{t("common.loading")}</p>;
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ name: "loading" });
  useLangVersion(); // re-render everything when the language changes

  // the lost-tablet wipe (wipe.ts): whichever sync, probe or other tab heard it, this page shows it
  useEffect(() => onWiped((unsent) => setPhase({ name: "wiped", unsent })), []);

  useEffect(() => {
    const desk = deskSession();
    if (desk) {
      setPhase({ name: "desk", signedIn: desk });
      return;
    }
    loadDevice().then(
      (device) => {
        setPhase(device ? { name: "locked", device } : { name: "signin" });
        if (device) void wipeIfTold(device.token); // before anyone unlocks it: a lost tablet wipes once online
      },
      (error) => {
        emitError("error.storage_unavailable", error);
        setPhase({ name: "signin" });
      },
    );
  }, []);

  const ready = (device: Device) => {
    setToken(device.token);
    setPhase({ name: "ready", device });
    void checkInvariant().then((problem) => problem && emitError("error.invariant", problem));
    // What a closed page was still typing goes into the outbox before the first push.
    void recoverTyping().finally(() => void startSync(device.id));
  };

  let body;
  switch (phase.name) {
    case "loading":
      body = <p class="center">{t("common.loading")}</p>;
      break;
    case "signin":
      body = (
        <SignIn
          onSignedIn={(signedIn) =>
            setPhase(DESK_ROLES.has(signedIn.user.role) ? openDesk(signedIn) : { name: "register", signedIn })
          }
        />
      );
      break;
    case "desk":
      return (
        <DeskLoader
          signedIn={phase.signedIn}
          onSignOut={() => {
            // the access token revoked at the server first (hardening, issue 21); the desk keeps nothing else
            void signOutAtServer(phase.signedIn.accessToken)
              .catch(() => undefined)
              .finally(() => {
                closeDesk();
                setPhase({ name: "signin" });
              });
          }}
          onRegister={() => {
            closeDesk();
            setPhase({ name: "register", signedIn: phase.signedIn });
          }}
          onRenewed={(r) => setPhase(openDesk({ ...phase.signedIn, ...r }))}
        />
      );
    case "register":
      body = <Register signedIn={phase.signedIn} onRegistered={ready} />;
      break;
    case "locked":
      body = <Unlock device={phase.device} onUnlocked={() => ready(phase.device)} />;
      break;
    case "wiped":
      return <Wiped unsent={phase.unsent} onSignIn={() => ((location.hash = "#/"), location.reload())} />;
    case "ready":
      return (
        <Layout device={phase.device} onDevice={(device) => setPhase({ name: "ready", device })}>
          <Screen device={phase.device} />
        </Layout>
      );
  }
  return (
    <div class="shell">
      <ErrorBanner />
      <main class="auth">{body}</main>
    </div>
  );
}

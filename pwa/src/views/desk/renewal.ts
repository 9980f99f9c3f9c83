// Keeps a desk session signed in while it is used: the access token is renewed a few minutes before it expires,
// only if the supervisor pressed a key, clicked or touched since the last renewal; an unattended desk lets it
// lapse and signs itself out, warning two minutes before (WCAG 2.2.1: the user can extend it with one action).
// The server refuses renewal LI_SESSION_MAX_HOURS after the password sign-in.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, getJson } from "../../api";

export const RENEW_BEFORE_MS = 5 * 60_000;
export const WARN_BEFORE_MS = 2 * 60_000;
const TICK_MS = 15_000;

export type Step = "wait" | "renew" | "warn" | "expire";

/** What to do now with a token expiring at ``expiresAt``, given the last activity and the last renewal. */
export function nextStep(now: number, expiresAt: number, lastActivity: number, lastRenewal: number): Step {
  if (now >= expiresAt) return "expire";
  if (expiresAt - now > RENEW_BEFORE_MS) return "wait";
  if (lastActivity > lastRenewal) return "renew";
  return expiresAt - now <= WARN_BEFORE_MS ? "warn" : "wait";
}

export interface Renewed {
  accessToken: string;
  expiresAt: number;
}

export async function renew(token: string): Promise<Renewed> {
  const r = await getJson<{ access_token: string; expires_in: number }>("/auth/token/renew", {
    method: "POST",
    bearer: token,
  });
  return { accessToken: r.access_token, expiresAt: Date.now() + r.expires_in * 1000 };
}

export interface Session {
  warning: boolean; // idle and about to sign out: show the warning
  stay: () => void; // the one action that extends the session
}

/** Watches activity and renews the token in time; ``expired`` when it lapsed or renewal was refused. */
export function useRenewal(
  token: string,
  expiresAt: number | undefined,
  renewed: (r: Renewed) => void,
  expired: () => void,
): Session {
  const [warning, setWarning] = useState(false);
  const stay = useRef<() => void>(() => {});
  useEffect(() => {
    // a session saved before renewal existed has no expiry: treat it as due, so the first activity renews it
    const until = expiresAt ?? Date.now() + RENEW_BEFORE_MS;
    const since = Date.now();
    let lastActivity = 0;
    let busy = false;
    const seen = () => (lastActivity = Date.now());
    const events = ["keydown", "pointerdown", "wheel"] as const;
    for (const e of events) document.addEventListener(e, seen, { passive: true, capture: true });
    const go = () => {
      busy = true;
      renew(token).then(renewed, (e: unknown) => {
        busy = false;
        // offline or the server down (status 0, 5xx): try again at the next tick while the token lasts;
        // refused (401 expired, revoked, session too old): sign in again
        if (e instanceof ApiError && e.status >= 400 && e.status < 500) expired();
      });
    };
    const tick = () => {
      if (busy) return;
      const step = nextStep(Date.now(), until, lastActivity, since);
      setWarning(step === "warn");
      if (step === "expire") expired();
      if (step === "renew") go();
    };
    stay.current = () => {
      seen();
      setWarning(false);
      if (!busy) go();
    };
    setWarning(false);
    const timer = setInterval(tick, TICK_MS);
    return () => {
      clearInterval(timer);
      for (const e of events) document.removeEventListener(e, seen, { capture: true });
    };
  }, [token, expiresAt]);
  return { warning, stay: () => stay.current() };
}

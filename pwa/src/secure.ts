// Whether the field app can run here: service workers, IndexedDB persistence and crypto.subtle exist only in a
// secure context (HTTPS, or http://localhost). Opened over plain HTTP from another host, the app says so in
// both languages instead of failing later with a TypeError (README "TLS, and tablets that trust it").
import catalogue from "./strings.json";

export interface Place {
  isSecureContext: boolean;
  location: { origin: string; hostname: string };
}

export interface Explanation {
  en: { title: string; body: string; fix: string };
  zh: { title: string; body: string; fix: string };
}

function fill(text: string, origin: string, host: string): string {
  return text.replace("{origin}", origin).replace("{host}", host);
}

/** null where the app can run; otherwise what to tell the user, in English and Chinese at once (the language
 * switch is part of the app that cannot start). */
export function insecureExplanation(place: Place): Explanation | null {
  if (place.isSecureContext) return null;
  const { origin, hostname } = place.location;
  const lang = (l: "en" | "zh") => ({
    title: catalogue["insecure.title"][l],
    body: fill(catalogue["insecure.body"][l], origin, hostname),
    fix: fill(catalogue["insecure.fix"][l], origin, hostname),
  });
  return { en: lang("en"), zh: lang("zh") };
}

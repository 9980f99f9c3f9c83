// Every user-facing string, in English and Chinese (catalogue: strings.json), switchable at run time.
import catalogue from "./strings.json";
import type { Lang, Text } from "./types";

export type Key = keyof typeof catalogue;
const STRINGS: Record<string, Text> = catalogue;
const STORAGE_KEY = "li-lang";

function initial(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === "en" || saved === "zh") return saved;
  } catch {
    /* storage unavailable */
  }
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

let lang: Lang = initial();
document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
const listeners = new Set<(l: Lang) => void>();

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* not persisted */
  }
  listeners.forEach((l) => l(next));
}

export function onLang(listener: (l: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Translate a key; `{name}` placeholders are filled from params. Unknown keys show as themselves. */
export function t(key: Key | string, params: Record<string, string | number> = {}): string {
  const entry = STRINGS[key];
  const text = entry ? entry[lang] : key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** Pick the current language from a bilingual text of the checklist library. */
export function tx(text: Text | undefined | null): string {
  return text ? text[lang] || text.en : "";
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return t("common.never");
  return new Date(iso).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

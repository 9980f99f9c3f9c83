// Reference data kept on the device for offline work: published checklists and the district's establishments.
import { getJson } from "./api";
import { getMeta, putMeta, req, searchText, tx } from "./db";
import type { ChecklistDefinition, ChecklistRecord, Colleague, Establishment, Text } from "./types";

const STALE_MS = 6 * 60 * 60 * 1000;
const PAGE = 500;

interface ChecklistSummary {
  key: string;
  version: number;
  title: Text;
  sha256: string;
}

/** The colleagues of the user's district (id, name, role), kept for picking a team offline. */
export async function refreshColleagues(): Promise<void> {
  const colleagues = await getJson<Colleague[]>("/users/colleagues");
  await tx(["meta"], "readwrite", (t) => putMeta(t, "colleagues", colleagues));
}

export async function refreshReference(force: boolean, progress?: (done: number) => void): Promise<void> {
  const last = await getMeta<number>("reference_at");
  if (!force && last && Date.now() - last < STALE_MS) return;
  await refreshColleagues().catch(() => undefined); // a server without the route: team picking waits
  const summaries = await getJson<ChecklistSummary[]>("/checklists");
  const have = new Set(
    await tx(["checklists"], "readonly", (t) => req(t.objectStore("checklists").getAllKeys() as IDBRequest<string[]>)),
  );
  const fresh: ChecklistRecord[] = [];
  for (const s of summaries) {
    const ref = `${s.key}@${s.version}`;
    if (have.has(ref)) continue; // published versions are immutable
    const full = await getJson<{ sha256: string; definition: ChecklistDefinition }>(`/checklists/${s.key}/${s.version}`);
    fresh.push({ ref, key: s.key, version: s.version, sha256: full.sha256, title: s.title, definition: full.definition });
    progress?.(fresh.length);
  }
  const establishments: Establishment[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await getJson<{ items: Establishment[]; total: number }>(`/establishments?limit=${PAGE}&offset=${offset}`);
    establishments.push(...page.items);
    progress?.(fresh.length + establishments.length);
    if (!page.items.length || establishments.length >= page.total) break;
  }
  await tx(["checklists", "establishments", "meta"], "readwrite", async (t) => {
    for (const c of fresh) t.objectStore("checklists").put(c);
    const store = t.objectStore("establishments");
    // Merged with what pull delivered (history, version): the REST list does not carry those.
    const held = new Map(((await req(store.getAll())) as Establishment[]).map((e) => [e.id, e]));
    for (const e of establishments) store.put({ ...held.get(e.id), ...e, search: searchText(e) });
    putMeta(t, "reference_at", Date.now());
  });
}

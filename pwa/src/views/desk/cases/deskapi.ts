// The supervisor's desk talks to the server directly (online only) with a password sign-in's access token, kept
// in memory: the desk routes refuse a device token, and nothing of a case is written to this browser's storage.
import { getJson, request } from "../../../api";

export interface Named {
  id: string;
  name: string;
}

export class Desk {
  constructor(readonly token: string) {}

  get<T>(path: string): Promise<T> {
    return getJson<T>(path, { bearer: this.token });
  }

  async post<T>(path: string, json: unknown, method = "POST"): Promise<T> {
    return (await (await request(path, { method, json, bearer: this.token })).json()) as T;
  }
}

export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The first and last day of the month after ``from`` (YYYY-MM-DD). */
export function nextMonth(from: Date = new Date()): [string, string] {
  const first = new Date(from.getFullYear(), from.getMonth() + 1, 1);
  const last = new Date(from.getFullYear(), from.getMonth() + 2, 0);
  const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  return [iso(first), iso(last)];
}

// The desk's calls to the API, with the supervisor's access token (a password sign-in, no device).
import { ApiError, getJson, request, type RequestOptions } from "../../api";
import { d } from "./strings";

let bearer = "";
let onExpired: () => void = () => {};

export function useBearer(token: string, expired: () => void): void {
  bearer = token;
  onExpired = expired;
}

export async function call<T>(path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return await getJson<T>(path, { ...options, bearer });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) onExpired();
    throw e;
  }
}

/** A file of an inspection (photo, preview, signature) as an object URL for an <img>. */
export async function evidenceUrl(inspectionId: string, sha256: string): Promise<string> {
  const r = await request(`/inspections/${inspectionId}/evidence/${sha256}`, { bearer, headers: { Accept: "*/*" } });
  return URL.createObjectURL(await r.blob());
}

export function problem(e: unknown): string {
  return d("common.error", { msg: e instanceof ApiError ? `${e.message} (${e.code})` : String(e) });
}

export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

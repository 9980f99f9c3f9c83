// HTTP calls to the backend under /api/v1; errors become ApiError (problem+json code, or "network").
export const API = "/api/v1";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

let token: string | null = null;

export function setToken(value: string | null): void {
  token = value;
}

export function currentToken(): string | null {
  return token;
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  form?: Record<string, string>;
  body?: BodyInit;
  headers?: Record<string, string>;
  bearer?: string;
  timeoutMs?: number;
}

export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const auth = options.bearer ?? token;
  if (auth) headers.Authorization = `Bearer ${auth}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
  let response: Response;
  try {
    response = await fetch(API + path, {
      method: options.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body: body ?? null,
      signal: controller.signal,
      cache: "no-store",
    });
  } catch (error) {
    throw new ApiError(0, "network", String(error));
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok && options.method !== "HEAD") await raise(response);
  return response;
}

async function raise(response: Response): Promise<never> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  const code = typeof body.code === "string" ? body.code : `http.${response.status}`;
  const detail = typeof body.detail === "string" ? body.detail : response.statusText;
  throw new ApiError(response.status, code, detail || code, body);
}

export async function getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await (await request(path, options)).json()) as T;
}

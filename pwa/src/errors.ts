// Errors the user must see (storage failures above all): a tiny event bus the ErrorBanner listens to.

export interface AppError {
  key: string; // an i18n key
  detail?: string;
  at: number;
}

const listeners = new Set<(e: AppError) => void>();

export function onError(listener: (e: AppError) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitError(key: string, detail?: unknown): void {
  const text = detail === undefined ? undefined : describe(detail);
  const error: AppError = { key, at: Date.now(), ...(text ? { detail: text } : {}) };
  listeners.forEach((l) => l(error));
  console.error(key, detail);
}

export function describe(error: unknown): string {
  if (error instanceof DOMException) return `${error.name}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Wrap a local write: any failure becomes a visible "not saved" error, then re-throws. */
export async function saving<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // A value the outbox refuses is the user's to correct; anything else is the device failing.
    emitError(error instanceof Error && error.name === "UnstorableValue" ? "error.unstorable" : "error.not_saved", error);
    throw error;
  }
}

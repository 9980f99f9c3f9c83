// The wire side of sync (PROTOCOL.md §3, §5, §8) behind a small interface, so tests and later protocol
// versions can swap it.
import { ApiError, getJson, request } from "./api";
import type { Change } from "./pull";

export const PROTOCOL = 1;

export interface WireMutation {
  id: string;
  seq: number;
  name: string;
  v: number;
  client_ts?: string;
  args: Record<string, unknown>;
}

export interface MutationResult {
  id: string;
  seq: number;
  outcome: "applied" | "duplicate" | "conflict" | "rejected";
  reason?: string | null;
  detail?: string | null;
  server_version?: number | null;
  conflict_ids?: string[];
  data?: Record<string, unknown> | null;
  original?: { outcome: MutationResult["outcome"]; reason?: string | null; detail?: string | null; data?: Record<string, unknown> | null } | null;
}

export interface PushResponse {
  protocol: number;
  device_id: string;
  last_seq: number;
  results: MutationResult[];
}

export interface PullResponse {
  protocol: number;
  cursor: number;
  more: boolean;
  last_seq: number;
  changes: Change[];
}

export interface BlobStatus {
  offset: number;
  bytes: number;
  verified: boolean;
  chunk_max: number;
}

export interface SyncTransport {
  push(deviceId: string, appVersion: string, mutations: WireMutation[]): Promise<PushResponse>;
  pull(deviceId: string, cursor: number, limit: number): Promise<PullResponse>;
  /** null when the server does not know the blob; else how much it holds and whether it is verified. */
  blobHead(sha256: string): Promise<{ offset: number; verified: boolean } | null>;
  blobCreate(sha256: string, bytes: number, mime: string): Promise<BlobStatus>;
  blobPatch(sha256: string, offset: number, chunk: ArrayBuffer): Promise<{ offset: number; verified: boolean }>;
}

async function base64Sha256(chunk: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", chunk));
  return btoa(String.fromCharCode(...digest));
}

export const httpTransport: SyncTransport = {
  push(deviceId, appVersion, mutations) {
    return getJson<PushResponse>("/sync/push", {
      json: { protocol: PROTOCOL, device_id: deviceId, app_version: appVersion, mutations },
      timeoutMs: 60_000,
    });
  },
  pull(deviceId, cursor, limit) {
    return getJson<PullResponse>("/sync/pull", { json: { protocol: PROTOCOL, device_id: deviceId, cursor, limit } });
  },
  async blobHead(sha256) {
    const response = await request(`/blobs/${sha256}`, { method: "HEAD" });
    if (response.status === 404) return null;
    if (response.status === 401 && response.headers.get("Device-Wipe") === "true") {
      throw new ApiError(401, "device.wipe", "this device must wipe its data"); // a HEAD answer has no body
    }
    if (!response.ok) throw new ApiError(response.status, `http.${response.status}`, response.statusText);
    return {
      offset: Number(response.headers.get("Upload-Offset") ?? 0) || 0,
      verified: response.headers.get("Blob-Verified") === "true",
    };
  },
  blobCreate(sha256, bytes, mime) {
    return getJson<BlobStatus>(`/blobs/${sha256}`, { json: { bytes, mime } });
  },
  async blobPatch(sha256, offset, chunk) {
    const response = await request(`/blobs/${sha256}`, {
      method: "PATCH",
      body: chunk,
      headers: {
        "Upload-Offset": String(offset),
        "Content-Type": "application/offset+octet-stream",
        "Upload-Checksum": `sha256 ${await base64Sha256(chunk)}`,
      },
      timeoutMs: 120_000,
    });
    if (response.status === 204) {
      return { offset: Number(response.headers.get("Upload-Offset") ?? offset + chunk.byteLength), verified: false };
    }
    const status = (await response.json()) as BlobStatus;
    return { offset: status.offset, verified: status.verified };
  },
};

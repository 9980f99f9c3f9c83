// Fetching a photo that is not on this device (a colleague's, pulled as a row only) through the server's
// evidence route, GET /inspections/{id}/evidence/{sha256}; the bytes are kept only if they hash to the name.
import { request } from "./api";
import { storeFetched } from "./blobs";
import type { Photo } from "./types";

export async function downloadEvidence(photo: Pick<Photo, "inspection_id" | "sha256">): Promise<void> {
  const response = await request(`/inspections/${photo.inspection_id}/evidence/${photo.sha256}`, {
    headers: { Accept: "*/*" },
    timeoutMs: 120_000,
  });
  await storeFetched(photo.sha256, await response.arrayBuffer());
}

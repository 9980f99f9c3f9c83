// Fetching a photo that is not on this device (a colleague's, pulled as a row only) through the server's
// evidence route, GET /inspections/{id}/evidence/{sha256}; the bytes are kept only if they hash to the name.
import { request } from "./api";
import { storeFetched } from "./blobs";
import type { Photo } from "./types";

/** Fetch the photo's preview (the downscaled copy) when it has one, else the original. */
export async function downloadEvidence(
  photo: Pick<Photo, "inspection_id" | "sha256"> & Partial<Pick<Photo, "preview_sha256">>,
): Promise<void> {
  const sha = photo.preview_sha256 ?? photo.sha256;
  const response = await request(`/inspections/${photo.inspection_id}/evidence/${sha}`, {
    headers: { Accept: "*/*" },
    timeoutMs: 120_000,
  });
  await storeFetched(sha, await response.arrayBuffer());
}

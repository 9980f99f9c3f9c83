// Web Worker: hashes the original photo bytes (SHA-256) and makes a downscaled JPEG copy for preview.
// Request: {id, bytes: ArrayBuffer, mime, maxPx?}; reply: {id, sha256, preview?: ArrayBuffer, previewMime?,
// previewSha256?} or {id, error}. The original is hashed as delivered (the evidence); the copy has its own hash.

const ctx = self as unknown as DedicatedWorkerGlobalScope;

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function downscale(bytes: ArrayBuffer, mime: string, maxPx: number): Promise<ArrayBuffer | undefined> {
  if (typeof createImageBitmap !== "function" || typeof OffscreenCanvas !== "function") return undefined;
  try {
    const bitmap = await createImageBitmap(new Blob([bytes], { type: mime }), { imageOrientation: "from-image" });
    const scale = Math.min(1, maxPx / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(w, h);
    const g = canvas.getContext("2d");
    if (!g) return undefined;
    g.drawImage(bitmap, 0, 0, w, h);
    bitmap.close();
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.8 });
    return await blob.arrayBuffer();
  } catch {
    return undefined; // not a decodable image: the original is still hashed and kept
  }
}

ctx.addEventListener("message", async (event: MessageEvent) => {
  const { id, bytes, mime, maxPx } = event.data as { id: number; bytes: ArrayBuffer; mime: string; maxPx?: number };
  try {
    const sha256 = hex(await crypto.subtle.digest("SHA-256", bytes));
    const preview = maxPx ? await downscale(bytes, mime, maxPx) : undefined;
    const previewSha256 = preview ? hex(await crypto.subtle.digest("SHA-256", preview)) : undefined;
    const transfer = preview ? [preview] : [];
    ctx.postMessage({ id, sha256, preview, previewMime: preview ? "image/jpeg" : undefined, previewSha256 }, transfer);
  } catch (error) {
    ctx.postMessage({ id, error: String(error) });
  }
});

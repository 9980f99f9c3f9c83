// Photos of an item: capture with the camera (file input), previews from the downscaled copy, GPS per photo.
import { useEffect, useState } from "preact/hooks";
import { objectUrl } from "../blobs";
import { emitError } from "../errors";
import { t } from "../i18n";
import { addPhoto, StorageFull } from "../records";
import type { Inspection, Photo } from "../types";
import { describeFix } from "./GpsStatus";

function Thumb({ photo }: { photo: Photo }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    const sha = photo.preview_sha256 ?? photo.sha256;
    const mime = photo.preview_sha256 ? (photo.preview_mime ?? "image/jpeg") : photo.mime;
    objectUrl(sha, mime).then(
      (u) => setUrl((made = u)),
      (e) => emitError("error.photo_unreadable", e),
    );
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [photo.id]);
  return (
    <figure class="thumb" data-testid="photo">
      {url ? <img src={url} alt={t("photo.alt")} width={96} height={72} /> : <div class="ph" />}
      <figcaption>
        {describeFix(photo.geo)}
        <br />
        {photo.uploaded ? t("photo.uploaded") : t("photo.on_device")}
      </figcaption>
    </figure>
  );
}

export function PhotoStrip({
  inspection,
  itemId,
  photos,
  locked,
}: {
  inspection: Inspection;
  itemId: string | null;
  photos: Photo[];
  locked: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const onFiles = async (input: HTMLInputElement) => {
    const files = Array.from(input.files ?? []);
    input.value = "";
    setBusy(true);
    try {
      for (const file of files) await addPhoto(inspection, itemId, file);
    } catch (error) {
      emitError(error instanceof StorageFull ? "error.storage_full" : "error.photo_not_saved", error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="photos">
      <div class="strip">
        {photos.map((p) => (
          <Thumb key={p.id} photo={p} />
        ))}
      </div>
      {!locked ? (
        <label class="btn">
          {busy ? t("photo.saving") : t("photo.add")}
          <input
            class="visually-hidden"
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            disabled={busy}
            onChange={(e) => void onFiles(e.currentTarget)}
          />
        </label>
      ) : null}
    </div>
  );
}

// Photos of an item: capture with the camera (file input), previews from the downscaled copy, GPS per photo.
import { useEffect, useState } from "preact/hooks";
import { NotOnDevice, objectUrl } from "../blobs";
import { downloadEvidence } from "../evidence";
import { useOnline } from "../hooks";
import { emitError } from "../errors";
import { t } from "../i18n";
import { addPhoto, removePhoto, StorageFull } from "../records";
import type { Inspection, Photo } from "../types";
import { describeFix } from "./GpsStatus";

type Shown = { state: "loading" } | { state: "shown"; url: string } | { state: "not_downloaded" } | { state: "damaged" };

/** A photo's thumbnail. A photo whose bytes are not on this device is "not downloaded" (a colleague's, or one
 * withdrawn to save space), and its copy can be fetched while online; only bytes that fail their hash are damage. */
function Thumb({ photo, locked }: { photo: Photo; locked: boolean }) {
  const [shown, setShown] = useState<Shown>({ state: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const online = useOnline();
  useEffect(() => {
    let made: string | null = null;
    let live = true;
    const sha = photo.preview_sha256 ?? photo.sha256;
    const mime = photo.preview_sha256 ? (photo.preview_mime ?? "image/jpeg") : photo.mime;
    const show = (next: Shown) => live && setShown(next);
    objectUrl(sha, mime).then(
      (u) => (live ? show({ state: "shown", url: (made = u) }) : URL.revokeObjectURL(u)),
      (e) => {
        if (e instanceof NotOnDevice && photo.preview_sha256) {
          // The preview is gone but the original may still be here.
          void objectUrl(photo.sha256, photo.mime).then(
            (u) => (live ? show({ state: "shown", url: (made = u) }) : URL.revokeObjectURL(u)),
            (e2) => show({ state: e2 instanceof NotOnDevice ? "not_downloaded" : "damaged" }),
          );
        } else {
          show({ state: e instanceof NotOnDevice ? "not_downloaded" : "damaged" });
          if (!(e instanceof NotOnDevice)) emitError("error.photo_unreadable", e);
        }
      },
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [photo.id, attempt]);
  const download = async () => {
    setBusy(true);
    try {
      await downloadEvidence(photo);
      setAttempt((n) => n + 1);
    } catch (error) {
      emitError("error.photo_download", error);
    } finally {
      setBusy(false);
    }
  };
  const [asking, setAsking] = useState(false);
  const remove = async () => {
    setAsking(false);
    try {
      await removePhoto(photo);
    } catch {
      /* shown by the outbox as "not saved" */
    }
  };
  const canDownload = photo.kind === "photo" && !!photo.item_id;
  return (
    <figure class="thumb" data-testid="photo" data-state={shown.state}>
      {shown.state === "shown" ? (
        <img src={shown.url} alt={t("photo.alt")} width={96} height={72} />
      ) : (
        <div class="ph">
          {shown.state === "not_downloaded" ? t("photo.not_downloaded") : shown.state === "damaged" ? t("photo.damaged") : ""}
        </div>
      )}
      <figcaption>
        {describeFix(photo.geo)}
        <br />
        {photo.uploaded ? t("photo.uploaded") : t("photo.on_device")}
      </figcaption>
      {shown.state === "not_downloaded" && canDownload ? (
        online ? (
          <button class="btn" disabled={busy} onClick={() => void download()} data-testid="photo-download">
            {busy ? t("photo.downloading") : t("photo.download")}
          </button>
        ) : (
          <p class="muted">{t("photo.download_offline")}</p>
        )
      ) : null}
      {!locked && photo.kind === "photo" ? (
        asking ? (
          <div class="row" role="group" aria-label={t("photo.remove_confirm")}>
            <button class="btn danger" onClick={() => void remove()} data-testid="photo-remove-yes">
              {t("photo.remove_yes")}
            </button>
            <button class="btn" onClick={() => setAsking(false)}>
              {t("common.cancel")}
            </button>
          </div>
        ) : (
          <button class="btn" onClick={() => setAsking(true)} data-testid="photo-remove">
            {t("photo.remove")}
          </button>
        )
      ) : null}
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
          <Thumb key={p.id} photo={p} locked={locked} />
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

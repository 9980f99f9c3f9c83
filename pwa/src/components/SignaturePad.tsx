// The employer representative's signature, drawn with a finger or stylus on a canvas; saved as PNG bytes.
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";

export function SignaturePad({ onSave, disabled }: { onSave: (name: string, png: ArrayBuffer) => Promise<void>; disabled: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [name, setName] = useState("");
  const [drawn, setDrawn] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const c = canvas.current!;
    const g = c.getContext("2d")!;
    g.lineWidth = 3;
    g.lineCap = "round";
    g.strokeStyle = "#000";
    let last: [number, number] | null = null;
    const point = (e: PointerEvent): [number, number] => {
      const r = c.getBoundingClientRect();
      return [((e.clientX - r.left) * c.width) / r.width, ((e.clientY - r.top) * c.height) / r.height];
    };
    const down = (e: PointerEvent) => {
      c.setPointerCapture(e.pointerId);
      last = point(e);
    };
    const move = (e: PointerEvent) => {
      if (!last) return;
      const p = point(e);
      g.beginPath();
      g.moveTo(...last);
      g.lineTo(...p);
      g.stroke();
      last = p;
      setDrawn(true);
    };
    const up = () => {
      last = null;
    };
    c.addEventListener("pointerdown", down);
    c.addEventListener("pointermove", move);
    c.addEventListener("pointerup", up);
    c.addEventListener("pointercancel", up);
    return () => {
      c.removeEventListener("pointerdown", down);
      c.removeEventListener("pointermove", move);
      c.removeEventListener("pointerup", up);
      c.removeEventListener("pointercancel", up);
    };
  }, []);
  const clear = () => {
    const c = canvas.current!;
    const g = c.getContext("2d")!;
    g.fillStyle = "#fff";
    g.fillRect(0, 0, c.width, c.height);
    setDrawn(false);
  };
  useEffect(clear, []);
  const save = async () => {
    setBusy(true);
    try {
      const blob = await new Promise<Blob | null>((resolve) => canvas.current!.toBlob(resolve, "image/png"));
      if (blob) await onSave(name.trim(), await blob.arrayBuffer());
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="signature">
      <label>
        {t("sign.name")}
        <input value={name} disabled={disabled} onInput={(e) => setName(e.currentTarget.value)} data-testid="signer-name" />
      </label>
      <canvas ref={canvas} width={600} height={200} class="pad" aria-label={t("sign.pad")} data-testid="signature-pad" />
      <div class="row">
        <button class="btn" onClick={clear} disabled={disabled}>
          {t("sign.clear")}
        </button>
        <button class="btn primary" onClick={save} disabled={disabled || busy || !drawn || !name.trim()}>
          {t("sign.save")}
        </button>
      </div>
    </div>
  );
}

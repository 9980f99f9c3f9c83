// A field saved as it is typed (typing.ts): notes, observed values and counts of workers affected.
import { useEffect, useRef, useState } from "preact/hooks";
import { flush, isQueued, keyOf, typed, type TypedField } from "../typing";

/**
 * A field whose content is saved as it is typed (typing.ts): what is typed stays on screen while the field has
 * focus (a re-render from another save must not reset it mid-entry); the stored value shows otherwise.
 */
export function TypedInput({
  inspectionId,
  itemId,
  field,
  stored,
  disabled,
  convert = (raw) => raw,
  multiline = false,
  type = "text",
  min,
}: {
  inspectionId: string;
  itemId: string;
  field: TypedField;
  stored: string;
  disabled: boolean;
  convert?: (raw: string) => string | number | null | undefined;
  multiline?: boolean;
  type?: string;
  min?: number; // counts: 0 (a measured value may be negative)
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const key = keyOf({ inspection_id: inspectionId, item_id: itemId, field });
  useEffect(() => {
    if (!isQueued(key) && document.activeElement !== ref.current) setDraft(null);
  }, [stored]);
  const props = {
    ref,
    disabled,
    value: draft ?? stored,
    onInput: (e: Event) => {
      const raw = (e.currentTarget as HTMLInputElement).value;
      setDraft(raw);
      const value = convert(raw);
      if (value !== undefined) typed({ inspection_id: inspectionId, item_id: itemId, field, value });
    },
    onBlur: () => void flush(key),
  };
  return multiline ? (
    <textarea rows={2} {...props} />
  ) : (
    <input
      type={type}
      {...(type === "number" ? { inputMode: min === 0 ? ("numeric" as const) : ("decimal" as const) } : {})}
      {...(min !== undefined ? { min } : {})}
      {...props}
    />
  );
}

export const toNumber = (raw: string) => (raw === "" ? null : Number.isFinite(Number(raw)) ? Number(raw) : undefined);
export const toCount = (raw: string) => (raw === "" ? 0 : Number.isFinite(Number(raw)) ? Math.max(0, Math.floor(Number(raw))) : undefined);

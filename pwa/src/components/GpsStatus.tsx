// The current GPS fix and its accuracy, or an explicit "no fix".
import { useEffect, useState } from "preact/hooks";
import { currentFix, geoError, onGeo, POOR_ACCURACY_M, startWatching } from "../geo";
import { t } from "../i18n";
import type { GeoFix } from "../types";

export function describeFix(fix: GeoFix | null | undefined): string {
  if (!fix || fix.lat === null || fix.lon === null) return t("gps.no_fix");
  return t("gps.fix", { lat: fix.lat.toFixed(5), lon: fix.lon.toFixed(5), acc: Math.round(fix.accuracy_m ?? 0) });
}

export function GpsStatus() {
  const [fix, setFix] = useState(currentFix());
  useEffect(() => {
    startWatching();
    const tick = setInterval(() => setFix(currentFix()), 10_000);
    const off = onGeo(() => setFix(currentFix()));
    return () => {
      off();
      clearInterval(tick);
    };
  }, []);
  const poor = fix.accuracy_m !== null && fix.accuracy_m > POOR_ACCURACY_M;
  const error = geoError();
  return (
    <p class={`gps ${fix.lat === null ? "none" : poor ? "poor" : "good"}`} data-testid="gps" role="status">
      {describeFix(fix)}
      {poor ? ` — ${t("gps.poor")}` : ""}
      {fix.lat === null && error ? ` (${error})` : ""}
    </p>
  );
}

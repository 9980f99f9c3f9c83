// "Today" as the user sees it: the date of a moment in the establishment's district's time zone (pulled with the
// establishment as `time_zone`), never `toISOString`'s UTC date. One helper for every screen that shows or limits
// by today's date (the measures' deadline minimum, proposed deadlines, the home screen's visits of today).

/** The date of a moment in `zone` or, without one (or one this browser does not know), in the device's own zone.
 * The server dates a visit in the district's zone the same way (`orgs/timezone.py`). */
export function localDate(at: Date = new Date(), zone?: string | null): string {
  if (zone) {
    try {
      const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
        .formatToParts(at)
        .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
      return `${parts.year}-${parts.month}-${parts.day}`;
    } catch {
      /* a zone this browser does not know: its own */
    }
  }
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Today at the establishment (its `time_zone`); `at` is the clock, for tests. */
export function todayAt(establishment?: { time_zone?: string | null } | null, at: Date = new Date()): string {
  return localDate(at, establishment?.time_zone);
}

/** A calendar date `days` after the date `iso` (YYYY-MM-DD), as YYYY-MM-DD. */
export function plusDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const relative = {
  long: new Intl.RelativeTimeFormat("en", { numeric: "auto" }),
  short: new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" }),
};
const absolute = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 31_536_000],
  ["month", 2_592_000],
  ["week", 604_800],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

function formatRelative(date: Date, style: keyof typeof relative, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return relative[style].format(Math.round(seconds / size), unit);
  }
  return "just now";
}

/**
 * A date shown relative to now, with the exact UTC time on hover and for machines. `short` ("19 min.
 * ago") suits narrow table columns.
 */
export function Time({ value, fallback = "—", style = "long" }: { value: Date | string | null | undefined; fallback?: string; style?: keyof typeof relative }) {
  if (!value) return <span className="text-stone-400">{fallback}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  return (
    <time dateTime={date.toISOString()} title={`${absolute.format(date)} UTC`} suppressHydrationWarning>
      {formatRelative(date, style)}
    </time>
  );
}

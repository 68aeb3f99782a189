/**
 * How a run's metrics are laid out as charts: grouped into sections by key prefix, MLflow's
 * `system/*` metrics last, the person's pinned keys on top, and single-point metrics shown as values
 * rather than charts of one dot. Pure, so it stays fast at 10,000 keys and is tested on its own.
 */

export type MetricEntry = { key: string; count: number; latest: number | null };

export type ChartSection = {
  /** Stable id, used for the open/closed state kept in the person's layout. */
  id: string;
  title: string;
  /** Metrics with two or more points, drawn as charts. */
  charts: MetricEntry[];
  /** Metrics logged once, shown as values. */
  values: MetricEntry[];
  /** Metrics in the section before the search narrowed it. */
  total: number;
};

export type ChartLayout = { pinned: string[]; sections: Record<string, boolean> };

export const PINNED_SECTION = "pinned";
const SYSTEM_SECTION = "system";
const UNGROUPED_SECTION = "ungrouped";
const SYSTEM_PREFIX = "system/";

/** Up to this many charts, every section starts open: nothing is gained by hiding a small run. */
export const ALL_OPEN_UP_TO = 24;

/** The section a key belongs to: its first segment before `/` or `.`, or none. */
export function sectionOf(key: string): string {
  if (key.startsWith(SYSTEM_PREFIX)) return SYSTEM_SECTION;
  const cut = key.search(/[/.]/);
  return cut > 0 ? `prefix:${key.slice(0, cut)}` : UNGROUPED_SECTION;
}

function titleOf(id: string): string {
  if (id === PINNED_SECTION) return "Pinned";
  if (id === SYSTEM_SECTION) return "System metrics";
  if (id === UNGROUPED_SECTION) return "Metrics";
  return id.slice("prefix:".length);
}

/** The label a chart shows inside its section (system metrics drop their prefix). */
export function chartTitle(key: string): string {
  return key.startsWith(SYSTEM_PREFIX) ? key.slice(SYSTEM_PREFIX.length) : key;
}

/** layer2 before layer10, as a person counts. */
const natural = new Intl.Collator("en", { numeric: true });

const rank = (id: string) => (id === PINNED_SECTION ? 0 : id === UNGROUPED_SECTION ? 1 : id === SYSTEM_SECTION ? 3 : 2);

/**
 * The sections to show for `metrics`, in natural order (layer2 before layer10), narrowed to keys containing `needle`
 * (case-insensitive). Metrics without points are left out; pinned keys appear in the pinned
 * section and in their own section too, so a section's count never changes with pinning.
 */
export function buildSections(metrics: readonly MetricEntry[], { pinned, needle }: { pinned: readonly string[]; needle: string }): ChartSection[] {
  const search = needle.trim().toLowerCase();
  const pinnedSet = new Set(pinned);
  const sections = new Map<string, ChartSection>();
  const add = (id: string, metric: MetricEntry, matches: boolean) => {
    let section = sections.get(id);
    if (!section) sections.set(id, (section = { id, title: titleOf(id), charts: [], values: [], total: 0 }));
    section.total++;
    if (matches) (metric.count === 1 ? section.values : section.charts).push(metric);
  };
  for (const metric of metrics) {
    if (metric.count < 1) continue;
    const matches = !search || metric.key.toLowerCase().includes(search);
    add(sectionOf(metric.key), metric, matches);
    if (pinnedSet.has(metric.key)) add(PINNED_SECTION, metric, matches);
  }
  const shown = [...sections.values()].filter((s) => s.charts.length + s.values.length > 0);
  for (const section of shown) {
    section.charts.sort((a, b) => natural.compare(a.key, b.key));
    section.values.sort((a, b) => natural.compare(a.key, b.key));
  }
  return shown.sort((a, b) => rank(a.id) - rank(b.id) || natural.compare(a.title, b.title));
}

/**
 * Whether a section is open: the person's own choice if they made one; otherwise everything when
 * the run is small, and for a wide run only the pinned section and the first one (the section of
 * `primaryKey` when the run logged it), so a run with 10,000 keys opens on a screenful of charts.
 */
export function isSectionOpen(
  section: ChartSection,
  context: { layout: ChartLayout; sections: readonly ChartSection[]; chartCount: number; primaryKey: string | null; searching: boolean },
): boolean {
  if (context.searching) return true;
  const chosen = context.layout.sections[section.id];
  if (chosen !== undefined) return chosen;
  if (context.chartCount <= ALL_OPEN_UP_TO || section.id === PINNED_SECTION) return true;
  const primary = context.primaryKey ? sectionOf(context.primaryKey) : null;
  const first = context.sections.find((s) => s.id === primary) ?? context.sections.find((s) => s.id !== PINNED_SECTION && s.id !== SYSTEM_SECTION);
  return section.id === first?.id;
}

/** Pins or unpins `key`, keeping the order in which charts were pinned. */
export function togglePin(layout: ChartLayout, key: string): ChartLayout {
  const pinned = layout.pinned.includes(key) ? layout.pinned.filter((k) => k !== key) : [...layout.pinned, key];
  return { ...layout, pinned };
}

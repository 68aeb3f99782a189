import type { DefaultRunColumnsInput } from "./run-default-columns";
import { parseColumnId } from "./run-columns";
import type { RunViewInput } from "./run-view-input";
import type { RunStatus } from "./runs";
import type { RunColumnsInput } from "./key-catalogue";
import type { RunAuthorsInput, RunGroupsInput, RunsTableInput } from "./runs-table";

/**
 * The whole view of the runs table — filter text, columns, sort, grouping and filters — as URL
 * search params, so a view is shared by sending its link. Pure (no React, no database, type-only
 * imports of the services) so client components may import it: the page parses it on the server,
 * the table in the browser, the CSV route for its export.
 *
 * Parsing never throws: what it does not understand falls back to the default, so a mangled link
 * still opens the table. Serialising is canonical (fixed parameter order, defaults left out, sets
 * sorted), so the same view always gives the same URL.
 *
 *   ?q=metrics.acc+>+0.9&cols=attributes.status,metrics.acc,params.lr&sort=-metrics.acc,params.lr
 *    &group=params.model&agg=max&status=FINISHED,FAILED&user=<user id>&from=2024-05-01&to=2024-05-31
 *    &exp=1,4&show=deleted&display=charts
 */

export const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const satisfies readonly RunStatus[];
// Fails to compile if the server grows a status this list lacks.
const statusesComplete: [Exclude<RunStatus, (typeof RUN_STATUSES)[number]>] extends [never] ? true : never = true;
void statusesComplete;

export const AGGREGATES = ["avg", "min", "max"] as const;
export type Aggregate = (typeof AGGREGATES)[number];
export const LIFECYCLES = ["active", "deleted", "all"] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];
/** The runs as a table, or as charts of the first runs in view. */
export const DISPLAYS = ["table", "charts"] as const;
export type Display = (typeof DISPLAYS)[number];

export type SortTerm = { column: string; desc: boolean };

export type RunsView = {
  /** Filter text in the search grammar (MLflow's, with OR and parentheses). */
  query: string;
  /** Column ids (`metrics.acc`, `params.lr`, `tags.team`, `attributes.status`); null: the defaults. */
  columns: string[] | null;
  /** Sort terms, first wins; empty: newest first. */
  sort: SortTerm[];
  /** A `params.` or `tags.` column to group by, or null for the run list. */
  groupBy: string | null;
  /** Which aggregate of each metric the grouped view shows. */
  aggregate: Aggregate;
  statuses: RunStatus[];
  /** The people who logged the runs, by user id (not the login name the MLflow client reports). */
  authors: string[];
  /** Started on or after this UTC day (YYYY-MM-DD). */
  startedFrom: string | null;
  /** Started on or before this UTC day (YYYY-MM-DD). */
  startedTo: string | null;
  /** Experiment ids to show across a project; empty: all of them. */
  experiments: string[];
  lifecycle: Lifecycle;
  display: Display;
};

export const DEFAULT_VIEW: RunsView = Object.freeze({
  query: "",
  columns: null,
  sort: [],
  groupBy: null,
  aggregate: "avg",
  statuses: [],
  authors: [],
  startedFrom: null,
  startedTo: null,
  experiments: [],
  lifecycle: "active",
  display: "table",
}) as RunsView;

/** The order the table uses when the view names none. */
const DEFAULT_SORT: SortTerm = { column: "attributes.start_time", desc: true };

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const LIMITS = {
  query: 10_000,
  columns: 100,
  sort: 5,
  authors: 20,
  experiments: 100,
  key: 250,
} as const;

// ---- column ids ----

/** A column id a link may carry: a known column whose key is not longer than a key may be. */
function viewColumn(id: string) {
  const column = parseColumnId(id);
  return column && column.key.length <= LIMITS.key ? column : null;
}

/** A column people may add or remove (everything except the pinned run name). */
function isChoosableColumn(id: string): boolean {
  return viewColumn(id) !== null && id !== "attributes.run_name";
}

function isGroupColumn(id: string): boolean {
  const column = viewColumn(id);
  return column?.kind === "params" || column?.kind === "tags";
}

// ---- filter text helpers (the grammar lives in server/search/filter.ts) ----

/** A column as a name in the filter grammar, backtick-quoted when the key needs it. */
export function filterIdentifier(id: string): string {
  const column = viewColumn(id);
  if (!column) return id;
  if (column.kind === "attributes") return column.key;
  return /^[\p{L}\p{N}_\-./:]+$/u.test(column.key) ? id : `${column.kind}.\`${column.key.replaceAll("`", "``")}\``;
}

/** A string literal of the filter grammar. */
export function filterLiteral(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/** Adds `condition` to a filter with AND, parenthesising an existing OR. */
export function refineQuery(query: string, condition: string): string {
  const current = query.trim();
  if (!current) return condition;
  return /\bor\b/i.test(current) ? `(${current}) and ${condition}` : `${current} and ${condition}`;
}

// ---- dates ----

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayStartMs(day: string): number | null {
  const match = DAY.exec(day);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  // Date.UTC rolls 2024-02-31 over into March; such a day does not exist.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return ms;
}

const validDay = (day: string | null | undefined): string | null => (day && dayStartMs(day) !== null ? day : null);

// ---- the view as API input ----

/** The run view the server filters by: the page's scope (one experiment) wins over the view's. */
export function runViewInput(view: RunsView, scope: { experimentId?: string } = {}): RunViewInput {
  const from = view.startedFrom ? dayStartMs(view.startedFrom) : null;
  const to = view.startedTo ? dayStartMs(view.startedTo) : null;
  return {
    experimentIds: scope.experimentId !== undefined ? [scope.experimentId] : view.experiments,
    filter: view.query,
    lifecycle: view.lifecycle,
    statuses: view.statuses,
    authorIds: view.authors,
    ...(from !== null && { startedFrom: from }),
    ...(to !== null && { startedBefore: to + 86_400_000 }),
  };
}

/** The sort the server applies: the view's, or newest first. */
export const effectiveSort = (view: RunsView): SortTerm[] => (view.sort.length ? view.sort : [DEFAULT_SORT]);

/** Runs per window fetched from the server. */
export const PAGE_SIZE = 200;
/** Keys per kind the column chooser fetches at once: enough for a project's 10,000, searched in the browser. */
const CATALOGUE_LIMIT = 10_000;

type Scope = { slug: string; experimentId?: string };
export type TableQueries = {
  /** The columns shown, in order (none while the default columns are not known yet). */
  columns: string[];
  catalogue: RunColumnsInput & { projectSlug: string };
  /** The input of the people filter's list, which does not depend on the people picked. */
  authors: RunAuthorsInput & { projectSlug: string };
  /** The input of the default columns; null when the view names its own. */
  defaults: (DefaultRunColumnsInput & { projectSlug: string }) | null;
  rows: (offset: number) => RunsTableInput & { projectSlug: string };
  groups: (RunGroupsInput & { projectSlug: string }) | null;
};

/**
 * The tRPC inputs of a view. The page (rendering the first window on the server) and the table
 * (fetching later windows in the browser) build them here, so the first window is a cache hit.
 * `defaults` are the server's default columns for this view, used when the view names none.
 */
export function tableQueries(view: RunsView, scope: Scope, defaults: readonly string[] | undefined): TableQueries {
  const base = { projectSlug: scope.slug, ...runViewInput(view, scope) };
  const columns = view.columns ?? [...(defaults ?? [])];
  // The server's answer does not depend on column order, so reordering refetches nothing.
  const fetched = [...new Set(columns)].sort();
  const sort = effectiveSort(view);
  return {
    columns,
    catalogue: { projectSlug: scope.slug, experimentIds: base.experimentIds, limit: CATALOGUE_LIMIT },
    authors: { ...base, authorIds: [] },
    defaults: view.columns ? null : { ...base, sort: view.sort },
    rows: (offset) => ({ ...base, columns: fetched, sort, offset, limit: PAGE_SIZE }),
    groups: view.groupBy ? { ...base, groupBy: view.groupBy, metrics: fetched.filter((c) => c.startsWith("metrics.")) } : null,
  };
}

// ---- parsing ----

type Params = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

function first(params: Params, name: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(name) ?? undefined;
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  return typeof value === "string" ? value : value?.[0];
}

// Items of a list are joined by ","; a "," or "%" inside an item is written %2C or %25.
const splitList = (value: string | undefined): string[] =>
  value
    ? value
        .split(",")
        .map((item) => item.replace(/%2C|%25/gi, (m) => (m === "%25" ? "%" : ",")))
        .filter((item) => item !== "")
    : [];
const joinList = (items: readonly string[]) => items.map((item) => item.replaceAll("%", "%25").replaceAll(",", "%2C")).join(",");

const unique = <T>(items: readonly T[]) => [...new Set(items)];

function parseSort(value: string | undefined): SortTerm[] {
  const terms: SortTerm[] = [];
  for (const item of splitList(value)) {
    const desc = item.startsWith("-");
    const column = desc ? item.slice(1) : item;
    if (!viewColumn(column) || terms.some((t) => t.column === column)) continue;
    terms.push({ column, desc });
  }
  return canonicalSort(terms.slice(0, LIMITS.sort));
}

// Sorting by the default order is the default view.
const canonicalSort = (terms: SortTerm[]) =>
  terms.length === 1 && terms[0]!.column === DEFAULT_SORT.column && terms[0]!.desc === DEFAULT_SORT.desc ? [] : terms;

/** Reads a view from search params (a URLSearchParams or Next's searchParams object). Never throws. */
export function parseViewState(params: Params): RunsView {
  const query = first(params, "q") ?? "";
  const cols = first(params, "cols");
  const columns = cols === undefined ? null : unique(splitList(cols).filter(isChoosableColumn)).slice(0, LIMITS.columns);
  const group = first(params, "group");
  const groupBy = group && isGroupColumn(group) ? group : null;
  const agg = first(params, "agg") as Aggregate | undefined;
  const show = first(params, "show") as Lifecycle | undefined;
  const display = first(params, "display") as Display | undefined;
  const statuses = new Set(splitList(first(params, "status")).map((s) => s.toUpperCase()));
  return normalizeView({
    query: query.length > LIMITS.query ? "" : query.trim(),
    columns,
    sort: parseSort(first(params, "sort")),
    groupBy,
    aggregate: agg && AGGREGATES.includes(agg) ? agg : DEFAULT_VIEW.aggregate,
    statuses: RUN_STATUSES.filter((s) => statuses.has(s)),
    authors: splitList(first(params, "user")),
    startedFrom: validDay(first(params, "from")),
    startedTo: validDay(first(params, "to")),
    experiments: splitList(first(params, "exp")),
    lifecycle: show && LIFECYCLES.includes(show) ? show : DEFAULT_VIEW.lifecycle,
    display: display && DISPLAYS.includes(display) ? display : DEFAULT_VIEW.display,
  });
}

/**
 * The canonical form of a view: lists deduplicated and bounded, sets sorted, unknown values dropped,
 * the aggregate reset when nothing is grouped. `parseViewState(serializeViewState(v))` equals `normalizeView(v)`.
 */
export function normalizeView(view: RunsView): RunsView {
  const statuses = new Set(view.statuses);
  const columns = view.columns === null ? null : unique(view.columns.filter(isChoosableColumn)).slice(0, LIMITS.columns);
  const sort: SortTerm[] = [];
  for (const term of view.sort) {
    if (viewColumn(term.column) && !sort.some((t) => t.column === term.column)) sort.push({ column: term.column, desc: Boolean(term.desc) });
  }
  const groupBy = view.groupBy && isGroupColumn(view.groupBy) ? view.groupBy : null;
  return {
    query: view.query.length > LIMITS.query ? "" : view.query.trim(),
    columns,
    sort: canonicalSort(sort.slice(0, LIMITS.sort)),
    groupBy,
    aggregate: groupBy && AGGREGATES.includes(view.aggregate) ? view.aggregate : DEFAULT_VIEW.aggregate,
    statuses: RUN_STATUSES.filter((s) => statuses.has(s)),
    // Only user ids: a link from before runs were filtered by person named login names.
    authors: unique(view.authors.map((id) => id.trim().toLowerCase()).filter((id) => USER_ID.test(id)))
      .sort()
      .slice(0, LIMITS.authors),
    startedFrom: validDay(view.startedFrom),
    startedTo: validDay(view.startedTo),
    experiments: unique(view.experiments.filter((e) => /^\d{1,9}$/.test(e)).map((e) => String(Number(e))))
      .sort((a, b) => Number(a) - Number(b))
      .slice(0, LIMITS.experiments),
    lifecycle: LIFECYCLES.includes(view.lifecycle) ? view.lifecycle : DEFAULT_VIEW.lifecycle,
    display: DISPLAYS.includes(view.display) ? view.display : DEFAULT_VIEW.display,
  };
}

// ---- serialising ----

// encodeURIComponent, keeping the characters a query value may hold literally, so links stay readable.
const encode = (value: string) =>
  encodeURIComponent(value)
    .replace(/%(2C|3A|2F|40|3D)/g, (m) => decodeURIComponent(m))
    .replaceAll("%20", "+");

/** The search string of a view (without "?"), canonical: equal views give equal strings. */
export function serializeViewState(input: RunsView): string {
  const view = normalizeView(input);
  const parts: [string, string][] = [];
  if (view.query) parts.push(["q", view.query]);
  if (view.columns) parts.push(["cols", joinList(view.columns)]);
  if (view.sort.length) parts.push(["sort", joinList(view.sort.map((t) => (t.desc ? `-${t.column}` : t.column)))]);
  if (view.groupBy) parts.push(["group", view.groupBy]);
  if (view.groupBy && view.aggregate !== DEFAULT_VIEW.aggregate) parts.push(["agg", view.aggregate]);
  if (view.statuses.length) parts.push(["status", view.statuses.join(",")]);
  if (view.authors.length) parts.push(["user", view.authors.join(",")]);
  if (view.startedFrom) parts.push(["from", view.startedFrom]);
  if (view.startedTo) parts.push(["to", view.startedTo]);
  if (view.experiments.length) parts.push(["exp", view.experiments.join(",")]);
  if (view.lifecycle !== DEFAULT_VIEW.lifecycle) parts.push(["show", view.lifecycle]);
  if (view.display !== DEFAULT_VIEW.display) parts.push(["display", view.display]);
  return parts.map(([name, value]) => `${name}=${encode(value)}`).join("&");
}

/** `path` with the view's search string, or `path` alone for the default view. */
export function viewHref(path: string, view: RunsView): string {
  const search = serializeViewState(view);
  return search ? `${path}?${search}` : path;
}

/** Whether the view narrows the runs (so an empty table means "no match", not "no runs"). */
export function isFiltered(view: RunsView): boolean {
  return Boolean(view.query || view.statuses.length || view.authors.length || view.startedFrom || view.startedTo || view.experiments.length);
}

/**
 * How much data and how many requests each figure uses. The full sizes are the issue's; `--quick`
 * keeps the shapes at a fraction of the size, for development and a CI smoke run.
 */
export type Sizes = {
  /** Measured log-batch requests per client count (split evenly over the clients), after `warmup` per client. */
  ingest: { clients: number[]; requests: Record<number, number>; warmup: number };
  search: { runs: number[]; params: number; metrics: number; requests: number; warmup: number; maxResults: number };
  history: { points: number; requests: number; warmup: number };
  /** `overlay`: one chart of `runs` runs sharing a metric of `points` points each (the compare page's request). */
  chart: {
    points: number[];
    requests: Record<number, number>;
    warmup: number;
    maxPoints: number;
    overlay: { runs: number; points: number; requests: number; warmup: number };
  };
  page: { runs: number; requests: number; warmup: number };
  baseline: { requests: number; warmup: number };
  /** Measured monitoring `records` batches of `batch` inference records, split over the clients, after `warmup` per client. */
  monitoring: { clients: number; batch: number; requests: number; warmup: number };
  /**
   * Cold visits of each page in Chromium: the wide run's page, the runs table and overview of a
   * project of `table.runs` runs logging `table.keys` distinct metric keys, and the compare page of
   * `compare.runs` runs sharing one metric of `compare.steps` steps.
   */
  browser: { visits: number; warmup: number; table: { runs: number; keys: number }; compare: { runs: number; steps: number } };
  idleSeconds: number;
};

export const FULL: Sizes = {
  ingest: { clients: [1, 4], requests: { 1: 300, 4: 600 }, warmup: 10 },
  search: { runs: [2_000, 100_000], params: 20, metrics: 20, requests: 200, warmup: 20, maxResults: 100 },
  history: { points: 100_000, requests: 30, warmup: 3 },
  chart: {
    points: [100_000, 1_000_000],
    requests: { 100_000: 100, 1_000_000: 50 },
    warmup: 5,
    maxPoints: 1000,
    overlay: { runs: 100, points: 100_000, requests: 30, warmup: 3 },
  },
  page: { runs: 10_000, requests: 30, warmup: 5 },
  baseline: { requests: 200, warmup: 20 },
  monitoring: { clients: 2, batch: 1_000, requests: 200, warmup: 5 },
  browser: { visits: 5, warmup: 1, table: { runs: 100_000, keys: 10_000 }, compare: { runs: 100, steps: 1_000_000 } },
  idleSeconds: 10,
};

export const QUICK: Sizes = {
  ingest: { clients: [1, 4], requests: { 1: 30, 4: 40 }, warmup: 3 },
  search: { runs: [500, 2_000], params: 20, metrics: 20, requests: 30, warmup: 5, maxResults: 100 },
  history: { points: 10_000, requests: 10, warmup: 2 },
  chart: {
    points: [10_000, 100_000],
    requests: { 10_000: 20, 100_000: 20 },
    warmup: 3,
    maxPoints: 1000,
    overlay: { runs: 100, points: 10_000, requests: 10, warmup: 2 },
  },
  page: { runs: 1_000, requests: 10, warmup: 2 },
  baseline: { requests: 30, warmup: 5 },
  monitoring: { clients: 2, batch: 1_000, requests: 20, warmup: 2 },
  // 100 × 10,000 steps: the 100 × 10⁶ points take PostgreSQL on 2 cores well over the few minutes a quick run has.
  browser: { visits: 2, warmup: 1, table: { runs: 2_000, keys: 1_000 }, compare: { runs: 100, steps: 10_000 } },
  idleSeconds: 10,
};

/** The sizes the targets name; a figure measured at another size shows its target without a verdict. */
export const TARGETS = {
  ingestPointsPerSecond: 250_000,
  /** Ingest as a share of the raw-insert ceiling, by clients. */
  ingestFractionOfCeiling: { 1: 50, 4: 70 } as Record<number, number>,
  monitoringRecordsPerSecond: 10_000,
  searchP95: { 2_000: 20, 100_000: 60 } as Record<number, number>,
  historyP50: { 100_000: 250 } as Record<number, number>,
  chartP95: { 100_000: 30, 1_000_000: 100 } as Record<number, number>,
  /** A 100-run overlay of 100,000 points each. */
  chartOverlayP95: 250,
  pageP95: { 10_000: 300 } as Record<number, number>,
  /** Every Cairn process, idle after start. */
  idleRssMb: 400,
  /** How many times faster than MLflow's own server, measured in the same run (`--mlflow`). */
  fasterThanMlflow: { ingest: { 1: 15, 4: 25 } as Record<number, number>, searchP95: 10, historyP50: 15 },
  runPageFirstChartMs: 1_500,
  runPageDomNodes: 5_000,
  chartSearchMs: 100,
  runsTableFirstRowsMs: 500,
  columnSearchMs: 100,
  runsTableSortFilterMs: 1_000,
  compareFirstPaintMs: 2_000,
  compareZoomMs: 500,
  overviewMs: 500,
};

/** The figure groups, in the order they run; `--only` picks some. */
export const GROUPS = [
  "memory",
  "baseline",
  "ingest",
  "raw",
  "monitoring",
  "search",
  "history",
  "chart",
  "page",
  "browser-run",
  "browser-table",
  "browser-compare",
] as const;
export type Group = (typeof GROUPS)[number];

/** Names `--only` also accepts for several groups at once. */
export const GROUP_ALIASES: Record<string, Group[]> = { browser: ["browser-run", "browser-table", "browser-compare"] };

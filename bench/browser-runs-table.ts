import type { BrowserContext, Page } from "@playwright/test";
import { once, type Bench } from "./context";
import type { BenchProject } from "./accounts";
import { coldVisits, documentTiming, firstFrameAt, harnessTimes, nextFrame } from "./browser-session";
import { step } from "./progress";
import type { Figure } from "./report";
import { rareMetricKey, seedRareMetrics, seedRuns } from "./seed";
import { FULL, TARGETS } from "./sizes";
import { summarize } from "./stats";

// The runs table and the project overview of a project with many runs and many metric keys, in
// Chromium: each visit is a cold navigation, then one interaction of each kind, timed to the frame
// that shows its result.

const count = (n: number) => n.toLocaleString("en-US");
const COMMON_KEYS = 20;
const PRIMARY_METRIC = "m1";
const FILTER = "metrics.m7 > 0.5";

/** The big project, seeded once: runs × 20 params × 20 common metrics, and rare keys up to `keys`; m1 ranks the leaderboard. */
function tableProject(bench: Bench): Promise<BenchProject> {
  const { runs, keys } = bench.sizes.browser.table;
  return once(bench, "browser-table", async () => {
    const project = await bench.project("bench-browser-table");
    await step(`loading ${count(runs)} runs × 20 params × ${count(keys)} distinct metric keys (SQL)`, async () => {
      await seedRuns(bench.sql, project, { runs, params: 20, metrics: COMMON_KEYS });
      await seedRareMetrics(bench.sql, project, { keys, commonKeys: COMMON_KEYS });
    });
    await bench.sql`
      update projects set primary_metric_key = ${PRIMARY_METRIC}, primary_metric_goal = 'max', primary_metric_threshold = 0.9
      where id = ${project.id}`;
    return project;
  });
}

const grid = (page: Page) => page.getByRole("grid", { name: "Runs" });

const GRID = '[role="grid"][aria-label="Runs"]';
const FIRST_ROW = '[role="row"][aria-rowindex="3"]';
/** A run's link in the overview's leaderboard or recent runs (the Runs tab's has no trailing path). */
const RUN_LINK = 'a[href*="/runs/"]';

/** The first data row's text, to see the window change. */
const firstRowText = (page: Page) => page.evaluate(([g, r]) => document.querySelector(g)?.querySelector(r)?.textContent ?? "", [GRID, FIRST_ROW] as const);

async function visitTable(page: Page, url: string) {
  const started = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  await grid(page).getByRole("row").nth(2).waitFor({ state: "visible", timeout: 60_000 });
  const harness = Date.now() - started;
  const firstRows = await firstFrameAt(page);
  const navigation = await documentTiming(page);

  // Column chooser: opened, from the click to the frame listing its metric keys; then the search,
  // from the keystroke (the whole key pasted at once) to the frame whose list holds just that key,
  // as the final answer for the search (the list is no longer marked stale).
  const o0 = Date.now();
  await page.getByRole("button", { name: "Columns" }).click();
  const search = page.getByRole("textbox", { name: "Search columns" });
  await search.waitFor();
  await page.getByRole("heading", { name: /^Metrics/ }).waitFor();
  const opened = Date.now() - o0;
  const key = rareMetricKey(7);
  const chooser = await page.evaluate(async (needle) => {
    const input = document.querySelector<HTMLInputElement>('input[aria-label="Search columns"]')!;
    const list = input.parentElement!.parentElement!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    const t0 = performance.now();
    setValue.call(input, needle);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    let narrowed: number | undefined;
    for (;;) {
      await new Promise(requestAnimationFrame);
      const shown = [...list.querySelectorAll('[role="checkbox"]')];
      const only = shown.length === 1 && shown[0]!.textContent!.includes(needle);
      if (only && narrowed === undefined) narrowed = performance.now() - t0;
      if (only && !list.querySelector('[aria-busy="true"]') && list.textContent!.includes("Metrics1 key"))
        return { narrowed, answered: performance.now() - t0 };
      if (performance.now() - t0 > 30_000) throw new Error(`column search for ${needle} never narrowed the list`);
    }
  }, key);
  await page.keyboard.press("Escape");

  // Filter: Enter in the filter box to the frame with the new row count.
  const before = await grid(page).getAttribute("aria-rowcount");
  const filterBox = page.getByRole("textbox", { name: "Filter runs" });
  await filterBox.fill(FILTER);
  const f0 = Date.now();
  await filterBox.press("Enter");
  // The grid marks a stale window aria-busy; settled and recounted means the new rows are in.
  await page.waitForFunction(
    ([g, was]) => {
      const el = document.querySelector(g);
      return !!el && el.getAttribute("aria-busy") !== "true" && el.getAttribute("aria-rowcount") !== was;
    },
    [GRID, before] as const,
    { polling: "raf", timeout: 60_000 },
  );
  await nextFrame(page);
  const filter = Date.now() - f0;
  const matched = Number(await grid(page).getAttribute("aria-rowcount")) - 2;

  // Sort: a click on the primary metric's header to the frame with the re-ordered first row.
  const firstRow = await firstRowText(page);
  // The header's button is titled "Sort by <key>; …" (the header's own name includes its resize handle).
  const header = page.getByTitle(`Sort by ${PRIMARY_METRIC}; Shift-click to add it as a further sort`);
  await header.waitFor({ timeout: 30_000 });
  const s0 = Date.now();
  await header.click();
  await page.waitForFunction(
    ([g, r, key, was]) => {
      const el = document.querySelector(g);
      if (!el || el.getAttribute("aria-busy") === "true") return false;
      return el.querySelector('[role="columnheader"][aria-sort]')?.textContent === key && el.querySelector(r)?.textContent !== was;
    },
    [GRID, FIRST_ROW, PRIMARY_METRIC, firstRow] as const,
    { polling: "raf", timeout: 60_000 },
  );
  await nextFrame(page);
  const sort = Date.now() - s0;
  return { firstRows, harness, navigation, chooser: { ...(chooser as { narrowed: number; answered: number }), opened }, filter, sort, matched };
}

async function visitOverview(page: Page, url: string) {
  const started = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  await page.getByRole("heading", { name: "Leaderboard" }).waitFor({ state: "visible", timeout: 60_000 });
  await page.getByRole("heading", { name: "Recent runs" }).waitFor({ state: "visible", timeout: 60_000 });
  await page
    .getByRole("link", { name: /^run-\d+$/ })
    .first()
    .waitFor({ state: "visible", timeout: 60_000 });
  const harness = Date.now() - started;
  return { shown: await firstFrameAt(page), harness, navigation: await documentTiming(page) };
}

const slowest = (values: number[]) => summarize(values).max;

/** The runs table (first rows, column search, filter, sort) and the project overview of the big project. */
export async function runsTableFigures(bench: Bench, context: BrowserContext): Promise<void> {
  const project = await tableProject(bench);
  const { runs, keys } = bench.sizes.browser.table;
  const applies = runs === FULL.browser.table.runs && keys === FULL.browser.table.keys;
  const base = `${bench.server.base}/p/${project.slug}`;
  const params = {
    runs,
    distinctMetricKeys: keys,
    paramsPerRun: 20,
    metricsPerRun: COMMON_KEYS + 1,
    viewport: "1440×900",
    browser: "Chromium (Debian), headless",
  };

  const table = await coldVisits(context, "runs table", bench.sizes.browser, (page) => visitTable(page, `${base}/runs`), `${GRID} ${FIRST_ROW}`);
  const doc = table.at(-1)!.navigation;
  const tableParams = {
    ...params,
    visits: table.length,
    documentFirstByteMs: Math.round(summarize(table.map((s) => s.navigation.firstByte)).p50),
    documentBytes: doc.bytes,
    documentDecodedBytes: doc.decodedBytes,
  };
  const figure = (name: string, label: string, values: number[], target: number, extra: Record<string, unknown> = {}): Figure => ({
    name: `browser.${name}`,
    label,
    value: slowest(values),
    unit: "ms",
    params: { ...tableParams, ...extra, p50: Math.round(summarize(values).p50) },
    target: { atMost: target },
    targetApplies: applies,
  });
  const size = `${count(runs)} runs, ${count(keys)} metric keys`;
  bench.figures.push(
    figure(
      "runs_table.first_rows_max",
      `runs table, ${size}: first rows shown, slowest`,
      table.map((s) => s.firstRows),
      TARGETS.runsTableFirstRowsMs,
      harnessTimes(table),
    ),
    figure(
      "runs_table.column_search_max",
      `runs table, ${size}: column search narrowed, slowest`,
      table.map((s) => s.chooser.narrowed),
      TARGETS.columnSearchMs,
      {
        search: rareMetricKey(7),
        answeredP50: Math.round(summarize(table.map((s) => s.chooser.answered)).p50),
        openedP50: Math.round(summarize(table.map((s) => s.chooser.opened)).p50),
        openedMax: Math.round(summarize(table.map((s) => s.chooser.opened)).max),
      },
    ),
    figure(
      "runs_table.filter_max",
      `runs table, ${size}: filter applied, slowest`,
      table.map((s) => s.filter),
      TARGETS.runsTableSortFilterMs,
      {
        filter: FILTER,
        runsMatched: table.at(-1)!.matched,
      },
    ),
    figure(
      "runs_table.sort_max",
      `runs table, ${size}: sort by a metric, slowest`,
      table.map((s) => s.sort),
      TARGETS.runsTableSortFilterMs,
      {
        sort: `metrics.${PRIMARY_METRIC} (header click, with the filter applied)`,
      },
    ),
  );

  const overview = await coldVisits(context, "project overview", bench.sizes.browser, (page) => visitOverview(page, base), RUN_LINK);
  bench.figures.push({
    name: "browser.overview.shown_max",
    label: `project overview, ${count(runs)} runs: leaderboard and recent runs shown, slowest`,
    value: slowest(overview.map((s) => s.shown)),
    unit: "ms",
    params: {
      ...params,
      visits: overview.length,
      p50: Math.round(summarize(overview.map((s) => s.shown)).p50),
      ...harnessTimes(overview),
      documentFirstByteMs: Math.round(summarize(overview.map((s) => s.navigation.firstByte)).p50),
      documentBytes: overview.at(-1)!.navigation.bytes,
      leaderboard: `metrics.${PRIMARY_METRIC}, higher is better`,
    },
    target: { atMost: TARGETS.overviewMs },
    targetApplies: runs === FULL.browser.table.runs,
  });
}

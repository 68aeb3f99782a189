import type { BrowserContext, Page } from "@playwright/test";
import { logWideRun, WIDE_RUN } from "../tests/support/wide-run";
import { compareFigures } from "./browser-compare";
import { runsTableFigures } from "./browser-runs-table";
import { coldVisits, documentTiming, firstFrameAt, harnessTimes, launchChromium, signedInContext } from "./browser-session";
import { once, type Bench } from "./context";
import { step } from "./progress";
import { TARGETS } from "./sizes";
import { summarize } from "./stats";

const SEARCH = "layer7/unit3/";
const FIRST_CHART = '[role="region"][aria-label="Charts"] canvas';

/** One cold visit of the wide run's page: time to the first drawn chart, DOM size, and a chart search. */
async function visit(page: Page, url: string) {
  const started = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  await page.locator(FIRST_CHART).first().waitFor({ state: "visible", timeout: 30_000 });
  const harness = Date.now() - started;
  const firstChart = await firstFrameAt(page);
  const nodes = await page.evaluate(() => document.getElementsByTagName("*").length);
  const navigation = await documentTiming(page);
  // From the keystroke to the frame that shows the narrowed sections, timed inside the page.
  const search = await page.evaluate(async (needle) => {
    const input = document.querySelector<HTMLInputElement>('input[placeholder="Search metrics"]')!;
    const status = input.closest('[role="region"]')!.querySelector('[aria-live="polite"]')!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    const t0 = performance.now();
    setValue.call(input, needle);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    while (!status.textContent?.startsWith("1 of")) await new Promise(requestAnimationFrame);
    return performance.now() - t0;
  }, SEARCH);
  return { firstChart, harness, nodes, search, navigation };
}

/**
 * The run page of a run with 10,000 metric keys in real Chromium (Playwright), as a person opens it:
 * cold navigations, each timed from the request to the first chart on screen.
 */
async function runPageFigures(bench: Bench, context: BrowserContext): Promise<void> {
  const project = await bench.project("bench-wide");
  const trackingUri = `${bench.server.base}/p/${project.slug}`;
  const runId = await once(bench, "wide-run", () =>
    step(`logging a run with ${WIDE_RUN.keys.toLocaleString("en-US")} metric keys × ${WIDE_RUN.steps} steps (log-batch)`, () =>
      logWideRun(trackingUri, bench.token),
    ),
  );
  {
    const url = `${trackingUri}/runs/${runId}`;
    const { visits, warmup } = bench.sizes.browser;
    const samples = await coldVisits(context, "run page", bench.sizes.browser, (page) => visit(page, url), FIRST_CHART);
    const params: Record<string, unknown> = {
      keys: WIDE_RUN.keys,
      steps: WIDE_RUN.steps,
      visits,
      warmup,
      viewport: "1440×900",
      browser: "Chromium (Debian), headless",
    };
    const first = summarize(samples.map((s) => s.firstChart));
    const document = samples.at(-1)!.navigation;
    Object.assign(params, {
      ...harnessTimes(samples),
      documentFirstByteMs: Math.round(summarize(samples.map((s) => s.navigation.firstByte)).p50),
      documentDoneMs: Math.round(summarize(samples.map((s) => s.navigation.responseEnd)).p50),
      documentBytes: document.bytes,
      documentDecodedBytes: document.decodedBytes,
    });
    const search = summarize(samples.map((s) => s.search));
    const label = `run page, ${WIDE_RUN.keys.toLocaleString("en-US")} metric keys`;
    bench.figures.push(
      { name: "browser.run_page.first_chart_p50", label: `${label}: first chart drawn, p50`, value: first.p50, unit: "ms", params },
      {
        name: "browser.run_page.first_chart_max",
        label: `${label}: first chart drawn, slowest`,
        value: first.max,
        unit: "ms",
        params,
        target: { atMost: TARGETS.runPageFirstChartMs },
      },
      {
        name: "browser.run_page.dom_nodes",
        label: `${label}: DOM elements`,
        value: Math.max(...samples.map((s) => s.nodes)),
        unit: "nodes",
        params,
        target: { atMost: TARGETS.runPageDomNodes },
      },
      {
        name: "browser.run_page.search_p50",
        label: `${label}: chart search, p50`,
        value: search.p50,
        unit: "ms",
        params,
        target: { atMost: TARGETS.chartSearchMs },
      },
    );
  }
}

/** Runs one page's figures in a fresh headless Chromium signed in as the bench user. */
async function inChromium(bench: Bench, figures: (bench: Bench, context: BrowserContext) => Promise<void>): Promise<void> {
  const browser = await launchChromium();
  try {
    await figures(bench, await signedInContext(browser, bench.server.base));
  } finally {
    await browser.close();
  }
}

/** The dashboards at scale in real Chromium (Playwright), one group per page so each can run alone. */
export const browserRunGroup = (bench: Bench) => inChromium(bench, runPageFigures);
export const browserTableGroup = (bench: Bench) => inChromium(bench, runsTableFigures);
export const browserCompareGroup = (bench: Bench) => inChromium(bench, compareFigures);

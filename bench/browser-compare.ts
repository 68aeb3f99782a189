import type { BrowserContext, Page, Response } from "@playwright/test";
import { hexId, once, type Bench } from "./context";
import { coldVisits, documentTiming, firstFrameAt, harnessTimes, nextFrame } from "./browser-session";
import { step } from "./progress";
import { seedLongRuns } from "./seed";
import { FULL, TARGETS } from "./sizes";
import { summarize } from "./stats";

// The compare page of many runs that share one long metric, in Chromium: a cold navigation timed to
// the metric chart's first drawn canvas, then a drag across the chart timed to the refetched window
// drawn (the chart keeps the old data, marked "Refining…", until the zoomed window arrives).

const count = (n: number) => n.toLocaleString("en-US");
const METRIC = "train/loss";

function compareRuns(bench: Bench): Promise<{ slug: string; runIds: string[]; seedSeconds: number }> {
  const { runs, steps } = bench.sizes.browser.compare;
  return once(bench, "browser-compare", async () => {
    const project = await bench.project("bench-browser-compare");
    const started = Date.now();
    const ids = await step(`loading ${count(runs)} runs × ${count(steps)} steps of ${METRIC} (SQL, ${count(runs * steps)} points)`, () =>
      seedLongRuns(bench.sql, project, { runs, steps, key: METRIC }),
    );
    return { slug: project.slug, runIds: ids.map(hexId), seedSeconds: Math.round((Date.now() - started) / 1000) };
  });
}

/**
 * How long the chart.series request took, sent to last byte, how long the server took to its first
 * byte, and the reply's size as the server declared it (null for a streamed batch). Read once the
 * reply is drawn: Playwright's `finished()` never settles for some streamed replies.
 */
async function requestTiming(response: Response) {
  const t = response.request().timing();
  const length = await response.headerValue("content-length");
  return {
    firstByteMs: t.responseStart - t.requestStart,
    totalMs: t.responseEnd >= 0 ? t.responseEnd - t.requestStart : Number.NaN,
    bytes: length === null ? null : Number(length),
  };
}

type Zooming = { __zoom: Promise<number> };

// As text, for the reason in browser-session.ts.
const TIME_NEXT_ZOOM = `window.__zoom = new Promise((resolve) => {
  const busy = () => [...document.querySelectorAll('figure [role="status"]')].some((s) => /Refining|Updating/.test(s.textContent || ""));
  addEventListener("mouseup", (event) => {
    let loading = false;
    requestAnimationFrame(function look() {
      if (busy()) loading = true;
      else if (loading) return resolve(performance.now() - event.timeStamp);
      requestAnimationFrame(look);
    });
  }, { capture: true, once: true });
}), undefined`;

/**
 * Times the next zoom in the page: from the mouseup that ends the drag to the first frame after the
 * chart's "Refining…" status, shown while the zoomed window loads, is gone.
 */
async function timeNextZoom(page: Page): Promise<void> {
  await page.evaluate(TIME_NEXT_ZOOM);
}

async function visitCompare(page: Page, url: string) {
  const series = page.waitForResponse((r) => r.url().includes("chart.series"), { timeout: 120_000 });
  const started = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  const chart = page.getByRole("figure", { name: METRIC });
  await chart.locator("canvas").first().waitFor({ state: "visible", timeout: 120_000 });
  await nextFrame(page);
  const harness = Date.now() - started;
  const firstPaint = await firstFrameAt(page);
  const navigation = await documentTiming(page);
  const caption = await chart.locator("figcaption").textContent();
  const firstSeries = await requestTiming(await series);

  const plot = chart.locator(".u-over");
  await plot.scrollIntoViewIfNeeded();
  const box = (await plot.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 });
  const refetched = page.waitForResponse((r) => r.url().includes("chart.series"), { timeout: 120_000 });
  await timeNextZoom(page);
  const z0 = Date.now();
  await page.mouse.up();
  const response = await refetched;
  await chart
    .getByRole("status")
    .filter({ hasText: /Refining|Updating/ })
    .waitFor({ state: "detached", timeout: 120_000 });
  await nextFrame(page);
  const zoomHarness = Date.now() - z0;
  const zoom = await page.evaluate(() => (window as unknown as Zooming).__zoom);
  const zoomSeries = await requestTiming(response);
  return { firstPaint, harness, zoom, zoomHarness, navigation, caption, firstSeries, zoomSeries };
}

/** The compare page of the long runs: first paint of the metric chart, and a zoom's refetch. */
export async function compareFigures(bench: Bench, context: BrowserContext): Promise<void> {
  const { runs, steps } = bench.sizes.browser.compare;
  const { slug, runIds, seedSeconds } = await compareRuns(bench);
  const url = `${bench.server.base}/p/${slug}/compare?runs=${runIds.join(",")}`;
  const samples = await coldVisits(context, "compare page", bench.sizes.browser, (page) => visitCompare(page, url), "figure canvas");
  const applies = runs === FULL.browser.compare.runs && steps === FULL.browser.compare.steps;
  const first = summarize(samples.map((s) => s.firstPaint));
  const zoom = summarize(samples.map((s) => s.zoom));
  const params = {
    runs,
    stepsPerRun: steps,
    points: runs * steps,
    metric: METRIC,
    seedSeconds,
    visits: samples.length,
    caption: samples.at(-1)!.caption,
    documentFirstByteMs: Math.round(summarize(samples.map((s) => s.navigation.firstByte)).p50),
    documentBytes: samples.at(-1)!.navigation.bytes,
    viewport: "1440×900",
    browser: "Chromium (Debian), headless",
  };
  const label = `compare page, ${count(runs)} runs × ${count(steps)} steps`;
  bench.figures.push(
    {
      name: "browser.compare.first_paint_max",
      label: `${label}: metric chart drawn, slowest`,
      value: first.max,
      unit: "ms",
      params: {
        ...params,
        p50: Math.round(first.p50),
        ...harnessTimes(samples),
        seriesRequestMsP50: Math.round(summarize(samples.map((s) => s.firstSeries.totalMs)).p50),
        seriesFirstByteMsP50: Math.round(summarize(samples.map((s) => s.firstSeries.firstByteMs)).p50),
        seriesReplyBytes: samples.at(-1)!.firstSeries.bytes,
      },
      target: { atMost: TARGETS.compareFirstPaintMs },
      targetApplies: applies,
    },
    {
      name: "browser.compare.zoom_max",
      label: `${label}: zoom refetched and drawn, slowest`,
      value: zoom.max,
      unit: "ms",
      params: {
        ...params,
        p50: Math.round(zoom.p50),
        ...harnessTimes(samples.map((s) => ({ harness: s.zoomHarness }))),
        zoomReplyBytes: samples.at(-1)!.zoomSeries.bytes,
        zoomRequestMsP50: Math.round(summarize(samples.map((s) => s.zoomSeries.totalMs)).p50),
        zoomFirstByteMsP50: Math.round(summarize(samples.map((s) => s.zoomSeries.firstByteMs)).p50),
        zoomedTo: "30–45% of the x axis",
      },
      target: { atMost: TARGETS.compareZoomMs },
      targetApplies: applies,
    },
  );
}

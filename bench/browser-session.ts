import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { signInBench } from "./accounts";
import { step } from "./progress";
import { summarize } from "./stats";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Debian's Chromium, headless, as the browser figures use it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
}

/** A signed-in browser context: the bench user's session cookie on the server's host. */
export async function signedInContext(browser: Browser, base: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const cookies = (await signInBench(base)).split("; ").map((pair) => {
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
  });
  await context.addCookies(cookies);
  return context;
}

/** Waits for the next frame to be painted, so a measurement ends when the change is on screen. */
export const nextFrame = (page: Page) => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));

/** The document's own timings of the last navigation: first byte, end, and size on the wire. */
export function documentTiming(page: Page) {
  return page.evaluate(() => {
    const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return {
      firstByte: entry.responseStart - entry.startTime,
      responseEnd: entry.responseEnd - entry.startTime,
      bytes: entry.encodedBodySize,
      decodedBytes: entry.decodedBodySize,
    };
  });
}

type Clocked = { __firstFrame?: number };

// Code that runs in the page is passed as text: functions are sent as their source, and tsx adds
// calls to its own helper (`__name`) to the source of named inner functions.
const FIRST_FRAME = `(selector) => {
  if (location.protocol === "about:") return;
  requestAnimationFrame(function look() {
    const el = document.querySelector(selector);
    if (el && el.checkVisibility() && el.getBoundingClientRect().width > 0) window.__firstFrame = performance.now();
    else requestAnimationFrame(look);
  });
}`;

/**
 * Records, in the page, the first animation frame in which `selector` matches a visible element, on
 * the page's clock (ms since its navigation started): the frame that paints it. The harness's own
 * polling ran 100–800 ms behind that on a busy main thread (measured). For every navigation of `page`.
 */
async function recordFirstFrame(page: Page, selector: string): Promise<void> {
  await page.addInitScript({ content: `(${FIRST_FRAME})(${JSON.stringify(selector)});` });
}

/** For a visit of `coldVisits` with `shown`: the frame that first showed it, in ms since the navigation started. */
export async function firstFrameAt(page: Page): Promise<number> {
  const at = await page.waitForFunction(() => (window as unknown as Clocked).__firstFrame, null, { timeout: 120_000 });
  return (await at.jsonValue())!;
}

/**
 * Cold visits of one page, the first `warmup` not kept: each a full document load in the same tab,
 * through about:blank so nothing of the last visit stays (scripts come from the HTTP cache, as a
 * returning user has them). One tab, not a tab per visit: a new tab's renderer start-up on two
 * cores put 100–250 ms before the document's first byte, a cost of the harness, not of the page.
 * With `shown`, each visit's `firstFrameAt` is the frame that first showed that selector.
 */
export async function coldVisits<T>(
  context: BrowserContext,
  what: string,
  { visits, warmup }: { visits: number; warmup: number },
  visit: (page: Page) => Promise<T>,
  shown?: string,
): Promise<T[]> {
  const page = await context.newPage();
  if (shown) await recordFirstFrame(page, shown);
  const samples: T[] = [];
  try {
    for (let i = 0; i < warmup + visits; i++) {
      await page.goto("about:blank");
      const sample = await step(`${what} visit ${i + 1} of ${warmup + visits}${i < warmup ? " (warm-up)" : ""}`, () => visit(page));
      if (i >= warmup) samples.push(sample);
    }
  } finally {
    await page.close();
  }
  return samples;
}

/** The same visits timed from outside: the call to navigate until Playwright saw the result. */
export function harnessTimes(samples: { harness: number }[]) {
  const { max, p50 } = summarize(samples.map((s) => s.harness));
  return { harnessMax: Math.round(max), harnessP50: Math.round(p50) };
}

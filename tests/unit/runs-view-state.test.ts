import { describe, expect, it } from "vitest";
import {
  AGGREGATES,
  DEFAULT_VIEW,
  DISPLAYS,
  LIFECYCLES,
  RUN_STATUSES,
  effectiveSort,
  filterIdentifier,
  filterLiteral,
  normalizeView,
  parseViewState,
  refineQuery,
  runViewInput,
  serializeViewState,
  viewHref,
  type RunsView,
} from "../../server/services/tracking/run-view-state";
import { columnLabel, parseColumnId } from "../../server/services/tracking/run-columns";

const parse = (search: string) => parseViewState(new URLSearchParams(search));

// People are filtered by user id.
const ADA = "1f0c2a4e-5b6d-4e8f-9a0b-1c2d3e4f5a6b";
const BOB = "0a9b8c7d-6e5f-4a3b-8c1d-0e9f8a7b6c5d";
const PEOPLE = [ADA, BOB, "c0ffee00-0000-4000-8000-000000000001"];
const view = (overrides: Partial<RunsView>): RunsView => ({ ...DEFAULT_VIEW, ...overrides });

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Characters that stress the encoding: separators, escapes, quotes, unicode, spaces and plus signs.
const ALPHABET = [
  "a",
  "b",
  "z",
  "0",
  "9",
  "_",
  "-",
  ".",
  "/",
  ":",
  " ",
  ",",
  "%",
  "%2C",
  "%25",
  "+",
  "&",
  "=",
  "#",
  "?",
  "'",
  '"',
  "`",
  "\\",
  "é",
  "日",
  "🙂",
  "(",
  ")",
  ">",
];

function randomView(next: () => number): RunsView {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const text = (max: number) => Array.from({ length: 1 + Math.floor(next() * max) }, () => pick(ALPHABET)).join("");
  const column = () => {
    const kind = pick(["metrics", "params", "tags", "attributes"] as const);
    return kind === "attributes"
      ? `attributes.${pick(["status", "start_time", "duration", "user_id", "experiment_id", "run_id", "end_time"])}`
      : `${kind}.${text(8)}`;
  };
  const many = <T>(make: () => T, max: number) => Array.from({ length: Math.floor(next() * (max + 1)) }, make);
  const day = () => `20${10 + Math.floor(next() * 20)}-0${1 + Math.floor(next() * 9)}-${10 + Math.floor(next() * 18)}`;
  return normalizeView({
    query: next() < 0.3 ? "" : text(40),
    columns: next() < 0.3 ? null : many(column, 8),
    sort: many(() => ({ column: next() < 0.2 ? "attributes.run_name" : column(), desc: next() < 0.5 }), 3),
    groupBy: next() < 0.5 ? null : `${pick(["params", "tags"])}.${text(6)}`,
    aggregate: pick(AGGREGATES),
    statuses: many(() => pick(RUN_STATUSES), 3),
    authors: many(() => pick(PEOPLE), 3),
    startedFrom: next() < 0.5 ? null : day(),
    startedTo: next() < 0.5 ? null : day(),
    experiments: many(() => String(Math.floor(next() * 50)), 3),
    lifecycle: pick(LIFECYCLES),
    display: pick(DISPLAYS),
  });
}

describe("runs view state", () => {
  it("reads the default view from an empty query and writes it as nothing", () => {
    expect(parse("")).toEqual(DEFAULT_VIEW);
    expect(serializeViewState(DEFAULT_VIEW)).toBe("");
    expect(viewHref("/p/x/runs", DEFAULT_VIEW)).toBe("/p/x/runs");
  });

  it("writes a compact, readable query in a fixed order", () => {
    const v = view({
      query: "metrics.acc > 0.9 and (params.model = 'xgb' or tags.team = 'fraud')",
      columns: ["attributes.status", "metrics.acc", "params.lr"],
      sort: [
        { column: "metrics.acc", desc: true },
        { column: "params.lr", desc: false },
      ],
      groupBy: "params.model",
      aggregate: "max",
      statuses: ["FAILED", "FINISHED"],
      authors: [ADA, BOB],
      startedFrom: "2024-05-01",
      startedTo: "2024-05-31",
      experiments: ["4", "1"],
      lifecycle: "deleted",
      display: "charts",
    });
    expect(serializeViewState(v)).toBe(
      "q=metrics.acc+%3E+0.9+and+(params.model+=+'xgb'+or+tags.team+=+'fraud')" +
        "&cols=attributes.status,metrics.acc,params.lr&sort=-metrics.acc,params.lr&group=params.model&agg=max" +
        `&status=FINISHED,FAILED&user=${BOB},${ADA}&from=2024-05-01&to=2024-05-31&exp=1,4&show=deleted&display=charts`,
    );
    expect(parse(serializeViewState(v))).toEqual(normalizeView(v));
  });

  it("round-trips many random views: parse(serialise(v)) equals v", () => {
    const next = random(20240501);
    for (let i = 0; i < 2000; i++) {
      const v = randomView(next);
      const search = serializeViewState(v);
      expect(parse(search), search).toEqual(v);
      // Through a real URL too, as the browser and Next.js hand it over.
      expect(parseViewState(new URL(`https://cairn.test/p/x/runs?${search}`).searchParams)).toEqual(v);
      // And through Next's searchParams object.
      expect(parseViewState(Object.fromEntries(new URLSearchParams(search)))).toEqual(v);
    }
  });

  it("is canonical: serialise(parse(url)) is a fixed point, and equal views give equal URLs", () => {
    const next = random(7);
    const chars = "abcqsortgrupxe=&,.-%+ 0129".split("");
    const keys = ["q", "cols", "sort", "group", "agg", "status", "user", "from", "to", "exp", "show", "display", "zzz"];
    for (let i = 0; i < 2000; i++) {
      const garbage = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
        const key = keys[Math.floor(next() * keys.length)]!;
        const value = Array.from({ length: Math.floor(next() * 12) }, () => chars[Math.floor(next() * chars.length)]).join("");
        return `${key}=${value}`;
      }).join("&");
      const once = serializeViewState(parse(garbage));
      expect(serializeViewState(parse(once)), garbage).toBe(once);
    }
    const a = view({ authors: [BOB, ADA, ADA.toUpperCase()], statuses: ["KILLED", "RUNNING"], experiments: ["3", "01", "3"] });
    const b = view({ authors: [ADA, BOB], statuses: ["RUNNING", "KILLED"], experiments: ["1", "3"] });
    expect(serializeViewState(a)).toBe(serializeViewState(b));
    // Sorting by the default order is the default view.
    expect(serializeViewState(view({ sort: [{ column: "attributes.start_time", desc: true }] }))).toBe("");
    // The aggregate means nothing without a grouping.
    expect(serializeViewState(view({ aggregate: "max" }))).toBe("");
  });

  it("falls back to defaults for garbage, never throwing", () => {
    expect(parse("cols=bogus,metrics.,attributes.nope,attributes.run_name,metrics.acc,metrics.acc").columns).toEqual(["metrics.acc"]);
    expect(parse("cols=").columns).toEqual([]);
    expect(parse("sort=-bogus,--metrics.x,metrics.a,-metrics.a").sort).toEqual([{ column: "metrics.a", desc: false }]);
    expect(parse("group=metrics.acc&agg=median").groupBy).toBeNull();
    expect(parse("group=params.m&agg=median").aggregate).toBe("avg");
    expect(parse("status=finished,bogus,FAILED").statuses).toEqual(["FINISHED", "FAILED"]);
    expect(parse("from=2024-02-30&to=yesterday")).toMatchObject({ startedFrom: null, startedTo: null });
    expect(parse("from=2024-02-29").startedFrom).toBe("2024-02-29");
    expect(parse("exp=1,x,-2,007").experiments).toEqual(["1", "7"]);
    expect(parse("show=everything").lifecycle).toBe("active");
    expect(parse(`q=${"x".repeat(10_001)}`).query).toBe("");
    expect(() => parse("q=%E0%A4%A&cols=%&sort=%%&exp=%FF")).not.toThrow();
    expect(parseViewState({ q: ["first", "second"], cols: undefined })).toMatchObject({ query: "first", columns: null });
    expect(parseViewState({ constructor: "x", __proto__: "y" } as Record<string, string>)).toEqual(DEFAULT_VIEW);
  });

  it("filters by people's user ids, dropping the login names of links from before", () => {
    expect(parse(`user=${BOB},${ADA.toUpperCase()}`).authors).toEqual([BOB, ADA].sort());
    expect(parse(`user=alice,${ADA},root`).authors).toEqual([ADA]);
    expect(parse("user=alice").authors).toEqual([]);
  });

  it("keeps commas and percent signs inside list items", () => {
    const v = view({ columns: ["params.a,b", "tags.100%", "metrics.x%2Cy"] });
    const search = serializeViewState(v);
    expect(search).toBe("cols=params.a%252Cb,tags.100%2525,metrics.x%25252Cy");
    expect(parse(search)).toEqual(v);
  });

  it("turns a view into the API's run view, days as UTC milliseconds, the page's experiment winning", () => {
    const v = view({ query: "metrics.a > 1", statuses: ["FAILED"], authors: [ADA], startedFrom: "2024-05-01", startedTo: "2024-05-31", experiments: ["2"] });
    expect(runViewInput(v)).toEqual({
      experimentIds: ["2"],
      filter: "metrics.a > 1",
      lifecycle: "active",
      statuses: ["FAILED"],
      authorIds: [ADA],
      startedFrom: Date.UTC(2024, 4, 1),
      startedBefore: Date.UTC(2024, 5, 1),
    });
    expect(runViewInput(v, { experimentId: "7" }).experimentIds).toEqual(["7"]);
    expect(runViewInput(DEFAULT_VIEW)).not.toHaveProperty("startedFrom");
    expect(effectiveSort(DEFAULT_VIEW)).toEqual([{ column: "attributes.start_time", desc: true }]);
  });

  it("knows column ids, their labels, and how to write a column into a filter", () => {
    expect(parseColumnId("metrics.val/loss.x")).toEqual({ kind: "metrics", key: "val/loss.x" });
    expect(parseColumnId("attributes.status")).toEqual({ kind: "attributes", key: "status" });
    expect(parseColumnId("attributes.bogus")).toBeNull();
    expect(parseColumnId("constructor.x")).toBeNull();
    expect(columnLabel("attributes.start_time")).toBe("Started");
    expect(columnLabel("metrics.val/loss")).toBe("val/loss");
    expect(filterIdentifier("params.model")).toBe("params.model");
    expect(filterIdentifier("params.my key")).toBe("params.`my key`");
    expect(filterIdentifier("tags.we`ird")).toBe("tags.`we``ird`");
    expect(filterLiteral("it's a \\ path")).toBe("'it''s a \\\\ path'");
    expect(refineQuery("", "params.a = '1'")).toBe("params.a = '1'");
    expect(refineQuery("metrics.x > 1", "params.a = '1'")).toBe("metrics.x > 1 and params.a = '1'");
    expect(refineQuery("metrics.x > 1 or metrics.y < 2", "params.a = '1'")).toBe("(metrics.x > 1 or metrics.y < 2) and params.a = '1'");
  });
});

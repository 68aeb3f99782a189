import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext } from "../../context";
import { metricSeries } from "../../db/schema";
import { invalid, parseInput } from "../../errors";
import { decodeToken, encodeToken } from "../page-token";
import { int64 } from "./limits";
import { runById, runIdField } from "./runs";

export const metricHistoryInput = z.object({
  runId: runIdField,
  metricKey: z.string({ error: "metric_key is required" }).min(1, "metric_key is required"),
  // MLflow's get_metric_history handler refuses only a page size below 1 and has no upper bound:
  // the Python client reads a whole history in one call, however long.
  maxResults: int64
    .pipe(
      z
        .number()
        .int()
        .min(1, { error: (issue) => `Invalid value ${String(issue.input)} for parameter 'max_results' supplied. It must be a positive integer.` }),
    )
    .optional(),
  pageToken: z.string().max(200).optional(),
});

/** Points per statement: bounds the text PostgreSQL builds at once to a few megabytes. */
const CHUNK = 50_000;

/** The last point a page returned; the next page starts after it. Values travel as text ("NaN"). */
type Cursor = { step: number; timestamp: number; value: string };

/**
 * The two orders a history can be read in. MLflow's is (timestamp, step, value); the primary key's
 * is (step, timestamp, value), read off the index without sorting. They are the same order exactly
 * when timestamps never decrease along the key, which is how training loops log.
 */
const ORDERS = {
  mlflow: { by: sql.raw("timestamp, step, value"), after: (c: Cursor) => sql`(timestamp, step, value) > (${c.timestamp}, ${c.step}, ${c.value}::float8)` },
  key: { by: sql.raw("step, timestamp, value"), after: (c: Cursor) => sql`(step, timestamp, value) > (${c.step}, ${c.timestamp}, ${c.value}::float8)` },
};
type Order = (typeof ORDERS)[keyof typeof ORDERS];

/** One point as MLflow's JSON spells it, NaN and the infinities as protobuf's strings. */
const pointJson = (keyJson: string) => sql`'{"key":' || ${keyJson}::text || ',"value":' ||
  case when value in ('NaN', 'Infinity', '-Infinity') then '"' || value::text || '"' else value::text end ||
  ',"timestamp":' || timestamp || ',"step":' || step || '}'`;

/**
 * A metric's history in MLflow's order, as JSON text: the generator yields chunks of whole point
 * objects (`{"key":…,"value":…,"timestamp":…,"step":…}` joined by commas) and returns the next
 * page token, if a page was asked for and more points follow. Without max_results every point is
 * read, as MLflow's server does. PostgreSQL writes the JSON, a chunk per statement, so a long
 * history is neither sorted when already in order nor held in memory whole, and no connection is
 * held between chunks. The run and series are resolved before the first chunk: a missing run is
 * an error before any output.
 */
export async function metricHistoryJson({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof metricHistoryInput> }) {
  const data = parseInput(metricHistoryInput, input);
  const cursor = data.pageToken === undefined ? undefined : decodeCursor(data.pageToken);
  const run = await runById(ctx, data.runId);
  const [series] = await ctx.db
    .select({ id: metricSeries.id, count: metricSeries.count })
    .from(metricSeries)
    .where(and(eq(metricSeries.runId, run.id), eq(metricSeries.key, data.metricKey)));
  const order = series && series.count > CHUNK && (await inKeyOrder(ctx, series.id, cursor)) ? ORDERS.key : ORDERS.mlflow;
  return readChunks(ctx, { seriesId: series?.id, keyJson: JSON.stringify(data.metricKey), order, cursor, limit: data.maxResults });
}

async function* readChunks(
  ctx: ProjectContext,
  read: { seriesId: number | undefined; keyJson: string; order: Order; cursor: Cursor | undefined; limit: number | undefined },
): AsyncGenerator<string, string | undefined> {
  if (read.seriesId === undefined) return undefined;
  let { cursor } = read;
  let left = read.limit ?? Number.POSITIVE_INFINITY;
  while (left > 0) {
    const want = Math.min(left, CHUNK);
    const [chunk] = await ctx.db.execute<{ json: string | null; n: number }>(sql`
      select string_agg(${pointJson(read.keyJson)}, ',' order by ${read.order.by}) as json, count(*)::int as n
      from (
        select step, timestamp, value from metric_points
        where series_id = ${read.seriesId} ${cursor ? sql`and ${read.order.after(cursor)}` : sql``}
        order by ${read.order.by} limit ${want}
      ) p`);
    if (!chunk?.json) return undefined;
    yield chunk.json;
    cursor = lastPoint(chunk.json);
    left -= chunk.n;
    if (chunk.n < want) return undefined;
  }
  return (await morePoints(ctx, read.seriesId, read.order, cursor!)) ? encodeCursor(cursor!) : undefined;
}

/** Whether the points from `cursor` on lie in MLflow's order along the primary key (see ORDERS). */
async function inKeyOrder(ctx: ProjectContext, seriesId: number, cursor: Cursor | undefined): Promise<boolean> {
  const from = cursor ? sql`and (step, timestamp, value) >= (${cursor.step}, ${cursor.timestamp}, ${cursor.value}::float8)` : sql``;
  const [row] = await ctx.db.execute<{ disordered: boolean }>(sql`
    select exists (
      select 1 from (
        select timestamp, lag(timestamp) over (order by step, timestamp, value) as before
        from metric_points where series_id = ${seriesId} ${from}
      ) p where timestamp < before
    ) as disordered`);
  return !row!.disordered;
}

async function morePoints(ctx: ProjectContext, seriesId: number, order: Order, cursor: Cursor): Promise<boolean> {
  const [row] = await ctx.db.execute<{ more: boolean }>(
    sql`select exists (select 1 from metric_points where series_id = ${seriesId} and ${order.after(cursor)}) as more`,
  );
  return row!.more;
}

/** The last point of a chunk; `{"key":` cannot occur inside the key's JSON string, where quotes are escaped. */
function lastPoint(json: string): Cursor {
  const point = JSON.parse(json.slice(json.lastIndexOf('{"key":'))) as { step: number; timestamp: number; value: number | string };
  return { step: point.step, timestamp: point.timestamp, value: String(point.value) };
}

function encodeCursor(cursor: Cursor): string {
  const value = Number(cursor.value);
  return encodeToken({ after: [cursor.step, cursor.timestamp, Number.isFinite(value) ? value : cursor.value] });
}

function decodeCursor(token: string): Cursor {
  const { after } = decodeToken(token);
  if (Array.isArray(after) && after.length === 3) {
    const [step, timestamp, value] = after as unknown[];
    const finite = typeof value === "number" && Number.isFinite(value);
    if (Number.isSafeInteger(step) && Number.isSafeInteger(timestamp) && (finite || value === "NaN" || value === "Infinity" || value === "-Infinity")) {
      return { step: step as number, timestamp: timestamp as number, value: String(value) };
    }
  }
  throw invalid("Invalid page_token");
}

/** The history as objects (the app's own door): the JSON chunks parsed, NaN and infinities as numbers again. */
export async function getMetricHistory({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof metricHistoryInput> }) {
  const chunks = await metricHistoryJson({ ctx, input });
  const parts: string[] = [];
  let next = await chunks.next();
  for (; !next.done; next = await chunks.next()) parts.push(next.value);
  const points = JSON.parse(`[${parts.join(",")}]`) as { key: string; value: number | string; timestamp: number; step: number }[];
  return { metrics: points.map((p) => ({ ...p, value: Number(p.value) })), nextPageToken: next.value };
}

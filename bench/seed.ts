import { randomUUID } from "node:crypto";
import { sql as drizzleSql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { catalogueExperiment } from "../server/services/tracking/key-catalogue";
import { buildRollups, qualifiesForRollups } from "../server/services/tracking/rollups";
import type { BenchProject } from "./accounts";

// Bulk data for the read figures, written with INSERT … SELECT generate_series straight into the
// bench database (the API would take hours for 100,000 runs). The shapes follow the schema's rules:
// `metric_series` holds each key's latest value, min, max and count, consistent with its points.

type Sql = postgres.Sql;

/**
 * `runs` finished runs in the project's Default experiment, each with `params` params p1… (eight
 * distinct values each), `metrics` metrics m1… (one point each, value in [0, 1) at step 100, so
 * series and history agree) and a `team` tag. Values are derived from hashes: every run differs,
 * every load is the same.
 */
export async function seedRuns(sql: Sql, project: BenchProject, size: { runs: number; params: number; metrics: number }): Promise<void> {
  await sql`
    insert into runs (project_id, experiment_id, name, status, start_time, end_time, user_name, artifact_uri)
    select ${project.id}, ${project.experimentId}, 'run-' || i,
      (array['FINISHED', 'FAILED', 'FINISHED', 'KILLED'])[1 + i % 4]::run_status,
      1700000000000 + i * 60000::bigint,
      1700000000000 + i * 60000::bigint + (i % 97) * 1000,
      'user-' || (i % 7),
      'mlflow-artifacts:/0/bench-' || i || '/artifacts'
    from generate_series(1, ${size.runs}::int) i`;
  await sql`
    insert into run_params (run_id, key, value)
    select r.id, 'p' || k, (abs(hashtext(r.id::text || k)) % 8)::text
    from runs r cross join generate_series(1, ${size.params}::int) k
    where r.project_id = ${project.id}`;
  await sql`
    insert into metric_series (run_id, key, value, step, timestamp, min, max, count)
    select id, 'm' || k, v, 100, 1700000000000, v, v, 1
    from (
      select r.id, k, (abs(hashtext(r.id::text || 'm' || k)) % 1000000) / 1000000.0::float8 as v
      from runs r cross join generate_series(1, ${size.metrics}::int) k
      where r.project_id = ${project.id}
    ) s`;
  await sql`
    insert into metric_points (series_id, step, timestamp, value)
    select s.id, s.step, s.timestamp, s.value
    from metric_series s join runs r on r.id = s.run_id
    where r.project_id = ${project.id}`;
  await sql`
    insert into run_tags (run_id, key, value)
    select r.id, 'team', (array['vision', 'nlp', 'tabular'])[1 + abs(hashtext(r.id::text)) % 3]
    from runs r where r.project_id = ${project.id}`;
  await catalogueExperiment(drizzle(sql), project.experimentId);
  await sql`analyze runs, run_params, run_tags, metric_series`;
}

/** A run created in SQL (for series and the raw-insert ceiling); returns its UUID. */
export async function insertRun(sql: Sql, project: BenchProject, name: string): Promise<string> {
  const id = randomUUID();
  await sql`
    insert into runs (id, project_id, experiment_id, name, status, start_time, user_name, artifact_uri)
    values (${id}, ${project.id}, ${project.experimentId}, ${name}, 'RUNNING', 1700000000000, 'bench',
            ${`mlflow-artifacts:/0/${id.replaceAll("-", "")}/artifacts`})`;
  return id;
}

/** Empty series (count 0) of a run, one per key; returns their ids in the order of `keys`. */
export async function insertSeries(sql: Sql, runId: string, keys: readonly string[]): Promise<number[]> {
  const rows = await sql<{ id: string; key: string }[]>`
    insert into metric_series (run_id, key, value, step, timestamp, count)
    select ${runId}::uuid, k, 'NaN', 0, 0, 0 from unnest(${sql.array([...keys])}::text[]) as k
    returning id, key`;
  const idOf = new Map(rows.map((r) => [r.key, Number(r.id)]));
  return keys.map((k) => idOf.get(k)!);
}

/**
 * A series of `points` points: steps 0…n-1, a timestamp every ~100 ms, a decaying noisy curve.
 * The series row gets the matching latest value, min, max and count.
 */
export async function seedSeries(sql: Sql, runId: string, key: string, points: number): Promise<void> {
  const [seriesId] = await insertSeries(sql, runId, [key]);
  await sql`
    insert into metric_points (series_id, step, timestamp, value)
    select ${seriesId!}, i, 1700000000000 + i * 100 + i % 7,
           exp(-i::float8 / ${points}) + 0.05 * sin(i * 12.9898)
    from generate_series(0, ${points - 1}::int) i`;
  await refreshSeries(sql, [seriesId!]);
  await sql`analyze metric_points`;
}

/** Recomputes the latest value, min, max and count of series from their points. */
export async function refreshSeries(sql: Sql, seriesIds: readonly number[]): Promise<void> {
  await sql`
    update metric_series s set
      count = agg.n, min = agg.lo, max = agg.hi,
      value = last.value, step = last.step, timestamp = last.timestamp
    from (
      select series_id, count(*) as n,
             min(value) filter (where value <> 'NaN') as lo,
             max(value) filter (where value <> 'NaN') as hi
      from metric_points where series_id = any(${sql.array([...seriesIds])}::bigint[])
      group by series_id
    ) agg,
    lateral (
      select p.step, p.timestamp, p.value from metric_points p
      where p.series_id = agg.series_id
      order by p.step desc, p.timestamp desc, p.value desc limit 1
    ) last
    where s.id = agg.series_id`;
}

/** The name of rare metric key `n` (of a project's `keys`), zero-padded so keys sort by number. */
export const rareMetricKey = (n: number) => `rare/k${String(n).padStart(5, "0")}`;

/**
 * Gives the runs of a project seeded by `seedRuns` (with `commonKeys` metrics m1…) one rare metric
 * each, drawn in turn from `keys - commonKeys` names, so the project logs `keys` distinct metric
 * keys in all (with a point each, as `seedRuns` writes them). Run i has rare key i mod the count.
 */
export async function seedRareMetrics(sql: Sql, project: BenchProject, size: { keys: number; commonKeys: number }): Promise<void> {
  const rare = size.keys - size.commonKeys;
  await sql`
    insert into metric_series (run_id, key, value, step, timestamp, min, max, count)
    select id, 'rare/k' || lpad((n % ${rare}::int)::text, 5, '0'), v, 100, 1700000000000, v, v, 1
    from (
      select r.id, substr(r.name, 5)::int as n, (abs(hashtext(r.id::text || 'rare')) % 1000000) / 1000000.0::float8 as v
      from runs r where r.project_id = ${project.id}
    ) s`;
  await sql`
    insert into metric_points (series_id, step, timestamp, value)
    select s.id, s.step, s.timestamp, s.value
    from metric_series s join runs r on r.id = s.run_id
    where r.project_id = ${project.id} and s.key like 'rare/k%'`;
  await catalogueExperiment(drizzle(sql), project.experimentId);
  await sql`analyze metric_series, metric_points`;
}

/**
 * `runs` finished runs, each with one metric `key` of `steps` points (steps 0…n-1, a decaying noisy
 * curve that differs by run), in a single INSERT … SELECT generate_series, with the rollups ingest
 * would have built; returns the run UUIDs.
 */
export async function seedLongRuns(sql: Sql, project: BenchProject, size: { runs: number; steps: number; key: string }): Promise<string[]> {
  const ids: string[] = [];
  for (let r = 0; r < size.runs; r++) ids.push(await insertRun(sql, project, `long-${r}`));
  await sql`update runs set status = 'FINISHED', end_time = start_time + ${size.steps}::bigint * 100 where id = any(${sql.array(ids)}::uuid[])`;
  const seriesIds = await Promise.all(ids.map(async (id) => (await insertSeries(sql, id, [size.key]))[0]!));
  await sql`
    insert into metric_points (series_id, step, timestamp, value)
    select s.id, i, 1700000000000 + i::bigint * 100,
           exp(-i::float8 / ${size.steps} * (1 + s.n / 50.0)) + 0.05 * sin(i * 12.9898 + s.n)
    from unnest(${sql.array(seriesIds)}::bigint[]) with ordinality as s(id, n)
    cross join generate_series(0, ${size.steps - 1}::int) i`;
  await refreshSeries(sql, seriesIds);
  await rollUp(sql, ids);
  await sql`analyze metric_series, metric_points, metric_rollups`;
  return ids;
}

/**
 * Rollups of the runs' series long enough to have them, built from their points as ingest builds
 * them when a series reaches the threshold (the seed writes points in SQL, past logBatch).
 */
export async function rollUp(sql: Sql, runUuids: string[]): Promise<void> {
  const db = drizzle(sql);
  const rows = await db.execute<{ id: string; run_id: string }>(
    drizzleSql`select id, run_id from metric_series s where run_id = any(${drizzleSql.param(runUuids)}::uuid[]) and ${qualifiesForRollups(drizzleSql`s.count`, drizzleSql`s.id`)}`,
  );
  const series = rows.map((r) => ({ runId: r.run_id, id: Number(r.id) }));
  for (let i = 0; i < series.length; i += 10) await buildRollups(db, series.slice(i, i + 10));
}

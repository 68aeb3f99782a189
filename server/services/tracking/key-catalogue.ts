import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { ProjectContext, ServiceContext } from "../../context";
import type { Database } from "../../db/client";
import { experimentKeys, experiments, metricSeries, runParams, runs, runTags, type KEY_KINDS } from "../../db/schema";
import { parseInput } from "../../errors";
import { ATTRIBUTE_KEYS } from "./run-columns";
import { experimentNumberOf } from "./ids";
import { runViewSchema } from "./run-view-input";

/*
 * The keys an experiment's runs have logged (`experiment_keys`), written by the statements that log
 * them and read by the column chooser. Reading them costs one index range per experiment, where
 * grouping the series of 100,000 runs took over a second.
 */

export type KeyKind = (typeof KEY_KINDS)[number];

/**
 * An insert adding to the run's experiment the keys that `keys` (a query of one `key` column)
 * yields, for use as a statement of its own or inside a writing statement's `with`. Keys go in
 * sorted, so two batches adding the same new keys wait on each other instead of deadlocking.
 */
export function catalogueInsert(kind: KeyKind, runUuid: string, keys: SQL): SQL {
  return sql`
    insert into ${experimentKeys} (experiment_id, kind, key)
    select r.experiment_id, ${kind}::key_kind, k.key
    from (${keys}) as k(key) join ${runs} r on r.id = ${runUuid}::uuid
    order by k.key
    on conflict do nothing`;
}

/** Adds logged keys to the catalogue of the run's experiment (known ones are skipped). */
export async function catalogueKeys(ctx: ServiceContext, kind: KeyKind, runUuid: string, keys: readonly string[]): Promise<void> {
  if (keys.length) await ctx.db.execute(catalogueInsert(kind, runUuid, sql`select distinct unnest(${sql.param([...keys])}::text[])`));
}

/**
 * Adds to the catalogue every key the experiment's runs hold, for writers that skip the logging
 * services (seeds of scale tests and benchmarks); the migration that made the table did the same.
 */
export async function catalogueExperiment(db: Pick<Database, "execute">, experimentId: string): Promise<void> {
  const kinds = [
    ["metrics", metricSeries],
    ["params", runParams],
    ["tags", runTags],
  ] as const;
  for (const [kind, table] of kinds)
    await db.execute(sql`
      insert into ${experimentKeys} (experiment_id, kind, key)
      select distinct ${experimentId}::uuid, ${kind}::key_kind, t.key
      from ${table} t join ${runs} r on r.id = t.run_id
      where r.experiment_id = ${experimentId}::uuid
      on conflict do nothing`);
}

export const runColumnsInput = z.object({
  experimentIds: runViewSchema.shape.experimentIds,
  /** Part of a key, case-insensitive. */
  search: z.string().max(250).default(""),
  /** Keys listed per kind; a project's whole catalogue of 10,000 keys fits in one answer. */
  limit: z.number().int().min(1).max(10_000).default(200),
});

export type RunColumnsInput = z.input<typeof runColumnsInput>;
export type KeyList = { keys: string[]; total: number };

const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The columns the table can show: the attributes, and the metric, param and tag keys logged in the
 * experiments in view (all of the project's when none is named), `mlflow.` system tags last, then
 * by name, capped per kind with the uncapped totals.
 */
export async function runColumns({ ctx, input }: { ctx: ProjectContext; input: RunColumnsInput }) {
  const data = parseInput(runColumnsInput, input);
  const search = data.search.trim().toLowerCase();
  const attributes = ATTRIBUTE_KEYS.filter((key) => key !== "run_name" && (!search || key.replace("_", " ").includes(search) || key.includes(search)));
  const numbers = data.experimentIds.map(experimentNumberOf).filter((n): n is number => n !== null);
  const none: KeyList = { keys: [], total: 0 };
  const result = (lists: Record<KeyKind, KeyList>) => ({ attributes: attributes.map((k) => `attributes.${k}`), ...lists });
  if (data.experimentIds.length && !numbers.length) return result({ metrics: none, params: none, tags: none });

  const inScope = ctx.db
    .select({ id: experiments.id })
    .from(experiments)
    .where(and(eq(experiments.projectId, ctx.project.id), numbers.length ? inArray(experiments.number, numbers) : undefined));
  const keysOf = async (kind: KeyKind): Promise<KeyList> => {
    const rows = await ctx.db
      .select({ key: experimentKeys.key, total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(experimentKeys)
      .where(
        and(
          sql`${experimentKeys.experimentId} = any(array(${inScope}))`,
          eq(experimentKeys.kind, kind),
          search ? sql`${experimentKeys.key} ilike ${likePattern(search)}` : undefined,
        ),
      )
      .groupBy(experimentKeys.key)
      .orderBy(sql`${experimentKeys.key} like 'mlflow.%'`, experimentKeys.key)
      .limit(data.limit);
    return { keys: rows.map((r) => r.key), total: rows[0]?.total ?? 0 };
  };
  const [metrics, params, tags] = await Promise.all([keysOf("metrics"), keysOf("params"), keysOf("tags")]);
  return result({ metrics, params, tags });
}

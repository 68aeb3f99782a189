import { and, eq, sql } from "drizzle-orm";
import type { ProjectContext } from "../../server/context";
import { getDb, liftStatementTimeout } from "../../server/db/client";
import { experiments } from "../../server/db/schema";
import { catalogueExperiment } from "../../server/services/tracking/key-catalogue";

/**
 * Seeds `runs` runs into the project's Default experiment, each with `params` params (p1…, eight
 * distinct values each), `metrics` latest metric values (m1…, in [0, 1)), a `team` tag and one of
 * seven login names, logged in turn by `authors` (user ids) when given: a few INSERT … SELECT
 * generate_series statements, for scale tests only. Values are
 * derived from hashes, so every run differs but every seed is the same.
 */
export async function seedScaleRuns(ctx: ProjectContext, size: { runs: number; params: number; metrics: number; authors?: string[] }) {
  const projectId = ctx.project.id;
  const [experiment] = await getDb()
    .select({ id: experiments.id })
    .from(experiments)
    .where(and(eq(experiments.projectId, projectId), eq(experiments.number, 0)));
  const authors = size.authors?.length
    ? sql`(array[${sql.join(
        size.authors.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}])[1 + i % ${size.authors.length}]`
    : sql`null::uuid`;
  // One transaction without the statement timeout: each insert is larger than any request's work.
  await getDb().transaction(async (db) => {
    await liftStatementTimeout(db);
    await db.execute(sql`
    insert into runs (project_id, experiment_id, name, status, start_time, end_time, user_name, created_by, artifact_uri)
    select ${projectId}, ${experiment!.id}, 'run-' || i,
      (array['FINISHED', 'FAILED', 'RUNNING', 'KILLED'])[1 + i % 4]::run_status,
      1700000000000 + i * 60000,
      case when i % 4 = 2 then null else 1700000000000 + i * 60000 + (i % 97) * 1000 end,
      'user-' || (i % 7),
      ${authors},
      'mlflow-artifacts:/0/' || i || '/artifacts'
    from generate_series(1, ${size.runs}::int) i`);
    await db.execute(sql`
    insert into run_params (run_id, key, value)
    select r.id, 'p' || k, (abs(hashtext(r.id::text || k)) % 8)::text
    from runs r cross join generate_series(1, ${size.params}::int) k
    where r.project_id = ${projectId}`);
    await db.execute(sql`
    insert into metric_series (run_id, key, value, step, timestamp, min, max, count)
    select id, 'm' || k, v, 100, 0, v, v, 101
    from (
      select r.id, k, (abs(hashtext(r.id::text || 'm' || k)) % 1000000) / 1000000.0::float8 as v
      from runs r cross join generate_series(1, ${size.metrics}::int) k
      where r.project_id = ${projectId}
    ) s`);
    await db.execute(sql`
    insert into run_tags (run_id, key, value)
    select r.id, 'team', (array['a', 'b', 'c'])[1 + abs(hashtext(r.id::text)) % 3]
    from runs r where r.project_id = ${projectId}`);
    await catalogueExperiment(db, experiment!.id);
  });
}

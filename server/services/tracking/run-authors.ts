import { and, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { ProjectContext } from "../../context";
import { runs, users } from "../../db/schema";
import { uuidOfRunId } from "./ids";
import { getRun, type getRunInput, type Run } from "./runs";
import { searchRuns, type searchRunsInput } from "./search";

/**
 * Who logged a run, as Cairn's pages show it: the person behind the request that created it (a
 * token's owner or a signed-in person, `runs.created_by`), not the login name the MLflow client
 * reports (`user_id`, the `mlflow.user` tag: `root` on a shared training box). That name stays
 * MLflow's `user_id` on the wire, and a tag. Runs without a person (created by Cairn itself, or
 * whose person was deleted) have no author; pages show the reported name, marked as such.
 */
export type RunAuthor = { id: string; name: string; email: string };

/** The author columns of a query that left-joins `users` on `authorJoin`. */
export const authorColumns = { authorId: users.id, authorName: users.name, authorEmail: users.email };
export const authorJoin = eq(users.id, runs.createdBy);

export function authorOf(row: { authorId: string | null; authorName: string | null; authorEmail: string | null }): RunAuthor | null {
  if (!row.authorId || row.authorEmail === null) return null;
  return { id: row.authorId, name: row.authorName || row.authorEmail, email: row.authorEmail };
}

/** What the User column shows and sorts by: the author's name, else the reported name. */
export const authorNameExpr = sql`coalesce(nullif(${users.name}, ''), ${users.email}, ${runs.userName})`;

/** The authors of some runs of the project, by run uuid (runs without one are left out). */
async function authorsByUuid(ctx: ProjectContext, uuids: string[]): Promise<Map<string, RunAuthor>> {
  if (!uuids.length) return new Map();
  const rows = await ctx.db
    .select({ runId: runs.id, ...authorColumns })
    .from(runs)
    .innerJoin(users, authorJoin)
    .where(and(eq(runs.projectId, ctx.project.id), inArray(runs.id, uuids)));
  return new Map(rows.map((row) => [row.runId, authorOf(row)!]));
}

export type AuthoredRun = Run & { author: RunAuthor | null };

async function withAuthors(ctx: ProjectContext, list: Run[]): Promise<AuthoredRun[]> {
  const uuidOf = (run: Run) => uuidOfRunId(run.info.runId)!;
  const authors = await authorsByUuid(ctx, list.map(uuidOf));
  return list.map((run) => ({ ...run, author: authors.get(uuidOf(run)) ?? null }));
}

/** `getRun` for Cairn's pages: the run with its author. */
export async function getAuthoredRun({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof getRunInput> }): Promise<AuthoredRun> {
  const [run] = await withAuthors(ctx, [await getRun({ ctx, input })]);
  return run!;
}

/** `searchRuns` for Cairn's pages: each run with its author. */
export async function searchAuthoredRuns({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof searchRunsInput> }) {
  const { runs: found, nextPageToken } = await searchRuns({ ctx, input });
  return { runs: await withAuthors(ctx, found), nextPageToken };
}

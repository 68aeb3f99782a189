import type { Actor } from "./access/actor";
import type { Role } from "./access/permissions";
import { getDb, type Database } from "./db/client";

export type ProjectRecord = {
  id: string;
  slug: string;
  name: string;
  description: string;
  primaryMetricKey: string | null;
  primaryMetricGoal: "min" | "max" | null;
  primaryMetricThreshold: number | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/**
 * What every service receives: the database (the pool or an open transaction), who is acting,
 * a per-request memo so lookups such as membership run once per request, and the public origin
 * of the request, when there is one, for links in messages.
 */
export type ServiceContext = {
  db: Database;
  actor: Actor;
  memo: Map<string, unknown>;
  origin?: string;
  /** Which door the request came through, when it matters to the domain (who asked for what, how). */
  door?: "ui" | "api" | "mlflow" | "cli";
  /** Set inside a transaction: work to do once it has committed (e.g. wake the job queue). */
  afterCommit?: (() => Promise<void>)[];
  /**
   * Set inside a transaction: writes to do last, just before it commits, in order (the audit
   * trail's chained rows, so their per-chain locks are held only for the commit).
   */
  beforeCommit?: ((db: Database) => Promise<void>)[];
};

/** A context that the access module has already admitted into one project. */
export type ProjectContext = ServiceContext & { project: ProjectRecord; role: Role };

export function createServiceContext(actor: Actor, db: Database = getDb(), origin?: string): ServiceContext {
  return { db, actor, memo: new Map(), origin };
}

/**
 * Runs `fn` in one transaction; nested calls become savepoints of the outer one. Work registered
 * with `afterCommit` runs once the outermost transaction has committed, never if it rolled back;
 * `beforeCommit` writes run at the end of the outermost transaction, minus those of a savepoint
 * that rolled back.
 */
export async function inTransaction<C extends ServiceContext, T>(ctx: C, fn: (tx: C) => Promise<T>): Promise<T> {
  const queued = ctx.beforeCommit;
  if (ctx.afterCommit && queued) {
    const mark = queued.length;
    try {
      return await ctx.db.transaction((db) => fn({ ...ctx, db }));
    } catch (error) {
      queued.length = mark;
      throw error;
    }
  }
  const pending: (() => Promise<void>)[] = [];
  const result = await ctx.db.transaction(async (db) => {
    const beforeCommit: ((db: Database) => Promise<void>)[] = [];
    const value = await fn({ ...ctx, db, afterCommit: pending, beforeCommit });
    for (const write of beforeCommit) await write(db);
    return value;
  });
  for (const job of pending) {
    await job().catch((error: unknown) => console.error("cairn: after-commit work failed:", error));
  }
  return result;
}

/** Runs `job` after the current transaction commits (at once when there is none). */
export function afterCommit(ctx: ServiceContext, job: () => Promise<void>): void {
  if (ctx.afterCommit) ctx.afterCommit.push(job);
  else void job().catch((error: unknown) => console.error("cairn: background work failed:", error));
}

/** Memoises `load` under `key` for the lifetime of the context (one request). */
export function memoised<T>(ctx: ServiceContext, key: string, load: () => Promise<T>): Promise<T> {
  const hit = ctx.memo.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  const pending = load();
  ctx.memo.set(key, pending);
  pending.catch(() => ctx.memo.delete(key));
  return pending;
}

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
 * and a per-request memo so lookups such as membership run once per request.
 */
export type ServiceContext = {
  db: Database;
  actor: Actor;
  memo: Map<string, unknown>;
};

/** A context that the access module has already admitted into one project. */
export type ProjectContext = ServiceContext & { project: ProjectRecord; role: Role };

export function createServiceContext(actor: Actor, db: Database = getDb()): ServiceContext {
  return { db, actor, memo: new Map() };
}

/** Runs `fn` in one transaction; nested calls become savepoints of the outer one. */
export function inTransaction<C extends ServiceContext, T>(ctx: C, fn: (tx: C) => Promise<T>): Promise<T> {
  return ctx.db.transaction((db) => fn({ ...ctx, db }));
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

import { inTransaction, type ServiceContext } from "../../context";
import type { Database } from "../../db/client";
import { auditEvents, registryEvents } from "../../db/schema";
import { asStoredJson } from "./canonical-json";
import { chainHead, lockChain, recordOf } from "./chain-store";
import { hashRecord, type AuditColumns, type RegistryColumns } from "./records";

type TrailEntry =
  | { log: "audit"; values: Omit<AuditColumns, "createdAt"> }
  | { log: "registry"; values: Omit<RegistryColumns, "createdAt"> & { details: Record<string, unknown> | null } };

/**
 * Appends a row to its chain (its project's, or the instance's audit chain) when the caller's
 * transaction is about to commit: the chain's lock is then held only for the commit, and taken
 * after every lock of the change itself, so it adds no deadlock. A failed write still rolls the
 * change back. JSON members are stored, and hashed, as jsonb gives them back.
 */
export async function appendToTrail(ctx: ServiceContext, entry: TrailEntry): Promise<void> {
  const stored: TrailEntry =
    entry.log === "audit"
      ? { log: "audit", values: { ...entry.values, before: asStoredJson(entry.values.before), after: asStoredJson(entry.values.after) } }
      : { log: "registry", values: { ...entry.values, details: asStoredJson(entry.values.details) as Record<string, unknown> | null } };
  const write = (db: Database) => insertChained(db, stored);
  if (ctx.beforeCommit) ctx.beforeCommit.push(write);
  else await inTransaction(ctx, async (tx) => void tx.beforeCommit!.push(write));
}

async function insertChained(db: Database, { log, values }: TrailEntry): Promise<void> {
  const createdAt = await lockChain(db, values.projectId);
  const head = await chainHead(db, log, values.projectId);
  const row = { ...values, createdAt };
  const chain = { seq: head.seq + 1, prevHash: head.hash, hash: hashRecord(recordOf(log, row, head.seq + 1, head.hash)) };
  if (log === "audit") await db.insert(auditEvents).values({ ...(row as AuditColumns), ...chain });
  else await db.insert(registryEvents).values({ ...(row as RegistryColumns & { details: Record<string, unknown> | null }), ...chain });
}

import { and, asc, eq, getTableColumns, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditEvents, registryEvents } from "../../db/schema";
import { auditRecord, GENESIS_HASH, hashRecord, registryRecord, type AuditColumns, type LogName, type RegistryColumns, type TrailRecord } from "./records";

export type AuditRow = typeof auditEvents.$inferSelect;
export type RegistryRow = typeof registryEvents.$inferSelect;
type Row = AuditRow | RegistryRow;
type Table = typeof auditEvents | typeof registryEvents;

/** The project a chain belongs to; null is the instance's audit chain. */
export type ChainOwner = string | null;

const PAGE = 1000;

const tables: Record<LogName, Table> = { audit: auditEvents, registry: registryEvents };

/** The record a stored row's hash covers, given its place in the chain. */
export function recordOf(log: LogName, row: AuditColumns | RegistryColumns, seq: number, prevHash: string): TrailRecord {
  return log === "audit" ? auditRecord(row as AuditColumns, seq, prevHash) : registryRecord(row as RegistryColumns, seq, prevHash);
}

const ownedBy = (table: Table, owner: ChainOwner) => (owner === null ? isNull(table.projectId) : eq(table.projectId, owner));

// The two-key form of advisory locks is a key space apart from the one-key locks (startup, members, promotions).
const CHAIN_LOCK_CLASS = 0x61756474; // "audt"

/**
 * Takes the chain's lock until the transaction ends and returns the transaction's time at
 * millisecond precision (what rows store and hash). Both logs of a project share the lock.
 */
export async function lockChain(db: Database, owner: ChainOwner): Promise<Date> {
  const [row] = await db.execute<{ ms: number }>(
    sql`select floor(extract(epoch from now()) * 1000)::float8 as ms from pg_advisory_xact_lock(${CHAIN_LOCK_CLASS}::int, hashtext(${owner ?? "instance"}))`,
  );
  return new Date(row!.ms);
}

/**
 * The last row of a chain, for the next one to follow; the caller holds the chain's lock. Rows an
 * older Cairn wrote without a place in the chain are chained first.
 */
export async function chainHead(db: Database, log: LogName, owner: ChainOwner): Promise<{ seq: number; hash: string }> {
  const table = tables[log];
  const head = async () => {
    const [row] = await db
      .select({ seq: table.seq, hash: table.hash })
      .from(table)
      .where(ownedBy(table, owner))
      .orderBy(sql`${table.seq} desc nulls first`)
      .limit(1);
    return row;
  };
  let row = await head();
  if (row && row.seq === null) {
    await chainUnchainedRows(db, log, owner);
    row = await head();
  }
  return row ? { seq: row.seq!, hash: row.hash! } : { seq: 0, hash: GENESIS_HASH };
}

/**
 * Gives rows written without a place in the chain (by the release before the chain, or by an
 * older instance during a rolling upgrade) the next places, in order of (created_at, id). Their
 * time is cut to the millisecond, the precision every chained row has. The caller holds the lock.
 */
async function chainUnchainedRows(db: Database, log: LogName, owner: ChainOwner): Promise<number> {
  const table = tables[log];
  const [head] = await db
    .select({ seq: table.seq, hash: table.hash })
    .from(table)
    .where(and(ownedBy(table, owner), isNotNull(table.seq)))
    .orderBy(sql`${table.seq} desc`)
    .limit(1);
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  let total = 0;
  for (;;) {
    const rows = (await db
      .select({ ...getTableColumns(table), ms: sql<number>`floor(extract(epoch from ${table.createdAt}) * 1000)::float8` })
      .from(table)
      .where(and(ownedBy(table, owner), isNull(table.seq)))
      .orderBy(asc(table.createdAt), asc(table.id))
      .limit(PAGE)) as (Row & { ms: number })[];
    if (rows.length === 0) return total;
    const chained = rows.map(({ ms, ...row }) => {
      const record = recordOf(log, { ...row, createdAt: new Date(ms) }, ++seq, prevHash);
      prevHash = hashRecord(record);
      return { id: row.id, seq, prevHash: record.prevHash, hash: prevHash };
    });
    await db.execute(sql`
      update ${table} set created_at = date_trunc('milliseconds', ${table.createdAt}), seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
      from unnest(
        ${sql.param(chained.map((c) => c.id))}::bigint[],
        ${sql.param(chained.map((c) => c.seq))}::bigint[],
        ${sql.param(chained.map((c) => c.prevHash))}::text[],
        ${sql.param(chained.map((c) => c.hash))}::text[]
      ) as v(id, seq, prev_hash, hash)
      where ${table.id} = v.id`);
    total += rows.length;
  }
}

/**
 * Chains every row that an older Cairn left unchained: run at start-up under the startup lock,
 * after the migrations, one transaction per chain.
 */
export async function chainLegacyRows(db: Database): Promise<{ rows: number }> {
  let rows = 0;
  for (const log of ["audit", "registry"] as const) {
    const table = tables[log];
    const owners = await db.selectDistinct({ owner: table.projectId }).from(table).where(isNull(table.seq));
    for (const { owner } of owners) {
      rows += await db.transaction(async (tx) => {
        await lockChain(tx, owner);
        return chainUnchainedRows(tx, log, owner);
      });
    }
  }
  return { rows };
}

/** The chain's rows in order, a page at a time (rows are only ever appended, so pages never shift). */
export async function* chainRows(db: Database, log: LogName, owner: ChainOwner): AsyncGenerator<Row> {
  const table = tables[log];
  let after = 0;
  for (;;) {
    const rows = (await db
      .select()
      .from(table)
      .where(and(ownedBy(table, owner), gt(table.seq, after)))
      .orderBy(asc(table.seq))
      .limit(PAGE)) as Row[];
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.seq!;
  }
}

/** Rows of the chain's project (or the instance) that have no place in the chain. */
export async function unchainedRows(db: Database, log: LogName, owner: ChainOwner): Promise<Row[]> {
  const table = tables[log];
  return (await db
    .select()
    .from(table)
    .where(and(ownedBy(table, owner), isNull(table.seq)))
    .orderBy(asc(table.createdAt), asc(table.id))) as Row[];
}

/** Every chain a log holds: one per project that has rows (deleted projects' audit rows included). */
export async function chainOwners(db: Database, log: LogName): Promise<ChainOwner[]> {
  const table = tables[log];
  const rows = await db
    .selectDistinct({ owner: table.projectId })
    .from(table)
    .orderBy(sql`${table.projectId} nulls first`);
  return rows.map((r) => r.owner);
}

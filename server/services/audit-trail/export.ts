import type { ProjectContext, ServiceContext } from "../../context";
import type { Database } from "../../db/client";
import { chainOwners, chainRows, recordOf, unchainedRows, type AuditRow, type ChainOwner, type RegistryRow } from "./chain-store";
import type { LogName } from "./records";

const LINES_PER_CHUNK = 500;

/** One JSON Lines row: its id, the members its hash covers, and its hash. */
function lineOf(log: LogName, row: AuditRow | RegistryRow): string {
  const record = recordOf(log, row, row.seq ?? 0, row.prevHash ?? "");
  return `${JSON.stringify({ id: row.id, ...record, seq: row.seq, prevHash: row.prevHash, hash: row.hash })}\n`;
}

/** Whole chains from their first row, in sequence order, a few hundred lines per chunk. */
async function* chainLines(db: Database, chains: { log: LogName; owner: ChainOwner }[]): AsyncGenerator<string> {
  let chunk = "";
  let lines = 0;
  for (const { log, owner } of chains) {
    for await (const row of chainRows(db, log, owner)) {
      chunk += lineOf(log, row);
      if (++lines % LINES_PER_CHUNK === 0) {
        yield chunk;
        chunk = "";
      }
    }
    for (const row of await unchainedRows(db, log, owner)) chunk += lineOf(log, row);
  }
  if (chunk) yield chunk;
}

/**
 * The project's audit log and registry timeline as JSON Lines with their hash chains, for an
 * auditor to check offline (`npx cairn audit verify --file`). The caller holds `audit.read`.
 */
export function exportProjectTrail({ ctx }: { ctx: ProjectContext }): AsyncGenerator<string> {
  return chainLines(ctx.db, [
    { log: "audit", owner: ctx.project.id },
    { log: "registry", owner: ctx.project.id },
  ]);
}

/**
 * Every audit chain of the instance (instance-level rows, then each project's, deleted projects'
 * included) as JSON Lines. The caller is an administrator.
 */
export async function* exportInstanceTrail({ ctx }: { ctx: ServiceContext }): AsyncGenerator<string> {
  const owners = await chainOwners(ctx.db, "audit");
  yield* chainLines(
    ctx.db,
    owners.map((owner) => ({ log: "audit" as const, owner })),
  );
}

import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { projects } from "../../db/schema";
import { notFound } from "../../errors";
import { chainOwners, chainRows, recordOf, unchainedRows, type ChainOwner } from "./chain-store";
import { auditRecordSchema, GENESIS_HASH, hashRecord, registryRecordSchema, type LogName, type TrailRecord } from "./records";

/** The outcome of checking one chain: how far it holds, and the first row that breaks it. */
export type ChainReport = {
  log: LogName;
  projectId: ChainOwner;
  /** The project's slug, or "instance". */
  label: string;
  rows: number;
  /** The last row that verified: an auditor who keeps it can later tell that nothing before it changed. */
  head: { seq: number; hash: string } | null;
  broken: { row: string; message: string } | null;
};

const short = (hash: string | null) => (hash ? `${hash.slice(0, 12)}…` : "none");

/** Walks one chain in sequence order; each row must follow the last one that verified. */
function chainChecker() {
  let seq = 0;
  let hash = GENESIS_HASH;
  return {
    /** Why the row breaks the chain, or null when it follows (then it becomes the head). */
    check(record: TrailRecord, storedHash: string | null): string | null {
      const expected = seq + 1;
      if (record.seq > expected) {
        const gap = record.seq - 1 > expected ? `s ${expected}–${record.seq - 1} are` : ` ${expected} is`;
        return `sequence${gap} missing before it (rows were deleted, or moved to another chain)`;
      }
      if (record.seq < expected) return `its sequence ${record.seq} repeats or goes back (expected ${expected})`;
      if (record.prevHash !== hash) {
        return `its prev_hash ${short(record.prevHash)} is not the hash of sequence ${seq} (${short(hash)}): the rows before it were changed or reordered`;
      }
      const computed = hashRecord(record);
      if (computed !== storedHash)
        return `its content does not match its hash (stored ${short(storedHash)}, recomputed ${short(computed)}): a member was changed`;
      seq = record.seq;
      hash = computed;
      return null;
    },
    report(log: LogName, projectId: ChainOwner, label: string, broken: ChainReport["broken"]): ChainReport {
      return { log, projectId, label, rows: seq, head: seq ? { seq, hash } : null, broken };
    },
  };
}

/**
 * Checks the chains stored in the database: one project's (its audit log and registry timeline),
 * or every chain of the instance, deleted projects' audit rows included.
 */
export async function verifyStoredTrail(db: Database, scope: { projectSlug?: string } = {}): Promise<ChainReport[]> {
  let chains: { log: LogName; owner: ChainOwner }[];
  if (scope.projectSlug) {
    const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.slug, scope.projectSlug));
    if (!project) throw notFound(`Project '${scope.projectSlug}' not found`);
    chains = [
      { log: "audit", owner: project.id },
      { log: "registry", owner: project.id },
    ];
  } else {
    const [audit, registry] = await Promise.all([chainOwners(db, "audit"), chainOwners(db, "registry")]);
    chains = [...audit.map((owner) => ({ log: "audit" as const, owner })), ...registry.map((owner) => ({ log: "registry" as const, owner }))];
  }
  const ids = [...new Set(chains.map((c) => c.owner).filter((o): o is string => o !== null))];
  const slugs = new Map(
    ids.length ? (await db.select({ id: projects.id, slug: projects.slug }).from(projects).where(inArray(projects.id, ids))).map((p) => [p.id, p.slug]) : [],
  );

  const reports: ChainReport[] = [];
  for (const { log, owner } of chains) {
    const checker = chainChecker();
    let broken: ChainReport["broken"] = null;
    for await (const row of chainRows(db, log, owner)) {
      const message = checker.check(recordOf(log, row, row.seq!, row.prevHash!), row.hash);
      if (message) {
        broken = { row: `row id ${row.id} (seq ${row.seq})`, message };
        break;
      }
    }
    if (!broken) {
      const [loose] = await unchainedRows(db, log, owner);
      if (loose) broken = { row: `row id ${loose.id}`, message: UNCHAINED };
    }
    const label = owner === null ? "instance" : (slugs.get(owner) ?? `deleted project ${owner}`);
    reports.push(checker.report(log, owner, label, broken));
  }
  return reports;
}

const UNCHAINED = "it has no place in the chain (no sequence): an older Cairn wrote it, and restarting Cairn or `npx cairn db migrate` chains it";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits");
const exportLine = z.discriminatedUnion("log", [
  auditRecordSchema.extend({ id: z.number().int(), hash: hex64 }),
  registryRecordSchema.extend({ id: z.number().int(), hash: hex64 }),
]);
/** A row exported before it had a place in its chain. */
const unchainedLine = z.object({ id: z.number().int(), log: z.enum(["audit", "registry"]), projectId: z.string().nullable(), seq: z.null() });

/**
 * Checks an exported JSON Lines file, offline: every line is a row with its chain members, each
 * chain in sequence order from its first row. Stops at a line that is not a row of the trail.
 */
export async function verifyTrailFile(lines: AsyncIterable<string>): Promise<{ chains: ChainReport[]; unreadable: string | null }> {
  type Walk = { checker: ReturnType<typeof chainChecker>; log: LogName; projectId: ChainOwner; broken: ChainReport["broken"] };
  const chains = new Map<string, Walk>();
  const slugs = new Map<string, string>(); // audit rows name their project; registry rows only by id
  const chainOf = (log: LogName, projectId: ChainOwner, slug: unknown): Walk => {
    if (projectId !== null && typeof slug === "string") slugs.set(projectId, slug);
    const key = `${log}:${projectId ?? "instance"}`;
    let chain = chains.get(key);
    if (!chain) {
      chain = { checker: chainChecker(), log, projectId, broken: null };
      chains.set(key, chain);
    }
    return chain;
  };
  let n = 0;
  for await (const text of lines) {
    n += 1;
    if (!text.trim()) continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(text);
    } catch {
      return { chains: reportsOf(chains), unreadable: `line ${n} is not JSON` };
    }
    const parsed = exportLine.safeParse(value);
    if (!parsed.success) {
      const loose = unchainedLine.safeParse(value);
      if (loose.success) {
        chainOf(loose.data.log, loose.data.projectId, value.projectSlug).broken ??= { row: `line ${n} (row id ${loose.data.id})`, message: UNCHAINED };
        continue;
      }
      const issue = parsed.error.issues[0]!;
      return { chains: reportsOf(chains), unreadable: `line ${n} is not a row of the trail (${issue.path.join(".") || "line"}: ${issue.message})` };
    }
    const { id, hash, ...record } = parsed.data;
    const chain = chainOf(record.log, record.projectId, record.log === "audit" ? record.projectSlug : null);
    if (chain.broken) continue;
    const message = chain.checker.check(record, hash);
    if (message) chain.broken = { row: `line ${n} (row id ${id}, seq ${record.seq})`, message };
  }
  return { chains: reportsOf(chains), unreadable: null };

  function reportsOf(walks: Map<string, Walk>) {
    return [...walks.values()].map((c) =>
      c.checker.report(c.log, c.projectId, c.projectId === null ? "instance" : (slugs.get(c.projectId) ?? c.projectId), c.broken),
    );
  }
}

/** One line per chain, for the CLI. */
export function describeChain(report: ChainReport): string {
  const name = `${report.log === "audit" ? "audit log" : "registry timeline"}, ${report.label}`;
  const head = report.head ? `last seq ${report.head.seq}, hash ${report.head.hash}` : "no rows";
  if (!report.broken) return `ok      ${name}: ${report.rows} row(s), ${head}`;
  return `BROKEN  ${name}: ${report.broken.row}: ${report.broken.message} (${report.rows} row(s) verified before it${report.head ? `, up to seq ${report.head.seq}` : ""})`;
}

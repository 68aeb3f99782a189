import { createReadStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { getDb } from "../db/client";
import { describeChain, verifyStoredTrail, verifyTrailFile, type ChainReport } from "../services/audit-trail/verify";
import { withDatabase } from "./database";

/**
 * `audit verify`: checks the database's chains, or an exported file without any database, prints
 * one line per chain and fails (exit 1) when a chain is broken.
 */
export async function verifyAudit(options: { project?: string; file?: string }, out: (line: string) => void, cwd: string): Promise<void> {
  let chains: ChainReport[];
  if (options.file) {
    const input = createReadStream(path.resolve(cwd, options.file), { encoding: "utf8" });
    const result = await verifyTrailFile(createInterface({ input, crlfDelay: Infinity }));
    if (result.unreadable) throw new Error(`${options.file}: ${result.unreadable}`);
    chains = result.chains;
  } else {
    chains = await withDatabase({ migrate: false }, () => verifyStoredTrail(getDb(), { projectSlug: options.project }));
  }
  for (const chain of chains) out(describeChain(chain));
  const broken = chains.filter((c) => c.broken).length;
  if (broken) throw new Error(`${broken} of ${chains.length} chain(s) broken`);
  out(chains.length ? `all ${chains.length} chain(s) verified` : "no rows to verify");
}

import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "./canonical-json";

/** The previous hash of the first row of every chain. */
export const GENESIS_HASH = "0".repeat(64);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex digits");
const shared = {
  seq: z.number().int().positive(),
  prevHash: hex64,
  /** ISO 8601 in UTC with milliseconds, as stored. */
  createdAt: z.string(),
  actorUserId: z.string().nullable(),
  actorLabel: z.string(),
};

/** The members of an audit row that its hash covers (the README's recipe lists the same). */
export const auditRecordSchema = z.object({
  log: z.literal("audit"),
  ...shared,
  projectId: z.string().nullable(),
  projectSlug: z.string().nullable(),
  actorTokenId: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  before: z.json(),
  after: z.json(),
});

/** The members of a registry timeline row that its hash covers. */
export const registryRecordSchema = z.object({
  log: z.literal("registry"),
  ...shared,
  projectId: z.string(),
  modelId: z.string(),
  kind: z.string(),
  target: z.string().nullable(),
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int().nullable(),
  details: z.json(),
});

export type AuditRecord = z.infer<typeof auditRecordSchema>;
export type RegistryRecord = z.infer<typeof registryRecordSchema>;
export type TrailRecord = AuditRecord | RegistryRecord;
export type LogName = TrailRecord["log"];
type Json = AuditRecord["before"];

/** SHA-256, lowercase hex, of the UTF-8 bytes of the record's canonical JSON (RFC 8785). */
export function hashRecord(record: TrailRecord): string {
  return createHash("sha256").update(canonicalJson(record), "utf8").digest("hex");
}

type Chained<R> = Omit<R, "log" | "seq" | "prevHash" | "createdAt"> & { createdAt: Date };
export type AuditColumns = Omit<Chained<AuditRecord>, "before" | "after"> & { before: unknown; after: unknown };
export type RegistryColumns = Omit<Chained<RegistryRecord>, "details"> & { details: unknown };

/** The hashed record of an audit row, from its column values (as written, or as read back). */
export function auditRecord(row: AuditColumns, seq: number, prevHash: string): AuditRecord {
  return {
    log: "audit",
    seq,
    prevHash,
    createdAt: row.createdAt.toISOString(),
    projectId: row.projectId,
    projectSlug: row.projectSlug,
    actorUserId: row.actorUserId,
    actorTokenId: row.actorTokenId,
    actorLabel: row.actorLabel,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: (row.before ?? null) as Json,
    after: (row.after ?? null) as Json,
  };
}

/** The hashed record of a registry timeline row. */
export function registryRecord(row: RegistryColumns, seq: number, prevHash: string): RegistryRecord {
  return {
    log: "registry",
    seq,
    prevHash,
    createdAt: row.createdAt.toISOString(),
    projectId: row.projectId,
    modelId: row.modelId,
    kind: row.kind,
    target: row.target,
    fromVersion: row.fromVersion,
    toVersion: row.toVersion,
    actorUserId: row.actorUserId,
    actorLabel: row.actorLabel,
    details: (row.details ?? null) as Json,
  };
}

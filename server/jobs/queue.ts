import PgBoss from "pg-boss";

/**
 * The job queue (pg-boss, on the same PostgreSQL). Only server processes start it; elsewhere
 * (CLI, tests that do not need it) enqueueing is a no-op and the outbox sweep picks the work up.
 */
export const QUEUES = {
  webhook: "webhook-delivery",
  email: "email",
  sweep: "outbox-sweep",
  purge: "purge-deleted-runs",
  retention: "monitoring-retention",
} as const;

const holder = globalThis as unknown as { cairnBoss?: PgBoss };

export function setQueue(boss: PgBoss | undefined) {
  holder.cairnBoss = boss;
}

export function queue(): PgBoss | undefined {
  return holder.cairnBoss;
}

/** Enqueues a job if this process runs the queue. */
export async function enqueue(name: string, data: object): Promise<void> {
  await holder.cairnBoss?.send(name, data);
}

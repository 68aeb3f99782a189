import type PgBoss from "pg-boss";

/** One kind of background work: its queue, how it retries or when it runs, and what it does. */
export type Worker = {
  queue: string;
  /** Retries with exponential backoff for work that can fail for a while (networks, SMTP). */
  options?: Omit<PgBoss.Queue, "name">;
  /** Cron schedule, for periodic work. */
  schedule?: string;
  handle(job: PgBoss.Job<object>): Promise<void>;
};

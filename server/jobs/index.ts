import PgBoss from "pg-boss";
import { setQueue } from "./queue";
import { WORKERS } from "./workers";

/**
 * Starts the job queue for this server process: pg-boss on the application's PostgreSQL (it keeps
 * its own schema), one worker per queue, and the periodic schedules. Several instances may run it;
 * pg-boss hands each job to one of them.
 */
export async function startJobs(databaseUrl: string): Promise<() => Promise<void>> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 3, application_name: "cairn-jobs" });
  boss.on("error", (error) => console.error("cairn: job queue error:", error.message));
  await boss.start();
  for (const worker of WORKERS) {
    // createQueue leaves an existing queue alone; updateQueue brings its retry policy up to date.
    await boss.createQueue(worker.queue, { name: worker.queue, ...worker.options });
    if (worker.options) await boss.updateQueue(worker.queue, { name: worker.queue, ...worker.options });
    await boss.work<object>(worker.queue, { pollingIntervalSeconds: 2 }, async ([job]) => worker.handle(job!));
    if (worker.schedule) await boss.schedule(worker.queue, worker.schedule);
  }
  setQueue(boss);
  return async () => {
    setQueue(undefined);
    await boss.stop({ graceful: true, timeout: 10_000 });
  };
}

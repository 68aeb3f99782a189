// `npm run bench [-- --pglite] [--quick] [--only ingest,search,…] [--mlflow] [--build] [--keep] [--profile]`:
// starts Cairn's production build on a fresh database, drives it over HTTP, prints a table of the
// figures against the targets (and, with --mlflow, against MLflow's own tracking server
// given the same requests), and writes bench/results.json.
import os from "node:os";
import path from "node:path";
import { createAccount } from "./accounts";
import { browserCompareGroup, browserRunGroup, browserTableGroup } from "./browser";
import { createBench, type Bench } from "./context";
import { fractionFigures, ingestGroup, rawGroup } from "./ingest";
import { ROOT, treeRss } from "../tests/support/harness";
import { ensureBuild, startServer, WORK_DIR, type BenchServer } from "./launcher";
import { MemorySampler } from "./memory";
import { monitoringGroup } from "./monitoring";
import { startMlflow, type MlflowServer } from "./mlflow-server";
import { connect, DEFAULT_BENCH_DATABASE_URL } from "./postgres";
import { note, Progress, step } from "./progress";
import { baselineGroup, chartGroup, historyGroup, pageGroup, searchGroup } from "./reads";
import { gitCommit, machineBasics, printTable, writeResults, type Figure, type Machine } from "./report";
import { FULL, GROUP_ALIASES, GROUPS, QUICK, TARGETS, type Group } from "./sizes";

const GROUP_CHOICES = [...GROUPS, ...Object.keys(GROUP_ALIASES)].join(",");
const USAGE = `usage: npm run bench -- [--pglite] [--quick] [--only <${GROUP_CHOICES}>] [--mlflow] [--build] [--keep] [--profile]

  --pglite    run Cairn on the embedded PGlite database instead of PostgreSQL
              (PostgreSQL: a fresh database next to BENCH_DATABASE_URL, default ${DEFAULT_BENCH_DATABASE_URL})
  --quick     small sizes, for development and a CI smoke run (targets shown without a verdict)
  --only      run only these figure groups (comma-separated, or repeat the flag; browser = the three browser-*)
  --mlflow    also run MLflow's tracking server (pinned in bench/mlflow-requirements.txt, installed
              into .cache/venv-mlflow-server) on its own database next to BENCH_DATABASE_URL, give it
              the same ingest, search and history requests, and show its figures and the ratios
  --build     run \`next build\` first even if a build exists (after changing the server)
  --keep      keep the bench database (or PGlite folder) afterwards and print where it is
  --profile   write V8 CPU profiles of the server to bench/.work/profiles (open in Chrome DevTools)`;

type Options = { pglite: boolean; quick: boolean; only: Set<Group>; mlflow: boolean; build: boolean; keep: boolean; profile: boolean };

function parseArgs(argv: string[]): Options {
  const options: Options = { pglite: false, quick: false, only: new Set(GROUPS), mlflow: false, build: false, keep: false, profile: false };
  const chosen: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--pglite") options.pglite = true;
    else if (arg === "--quick") options.quick = true;
    else if (arg === "--build") options.build = true;
    else if (arg === "--mlflow") options.mlflow = true;
    else if (arg === "--keep") options.keep = true;
    else if (arg === "--profile") options.profile = true;
    else if (arg === "--only" && argv[i + 1]) chosen.push(...argv[++i]!.split(","));
    else if (arg.startsWith("--only=")) chosen.push(...arg.slice("--only=".length).split(","));
    else if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`Unknown argument ${arg}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  const names = chosen.map((g) => g.trim()).filter(Boolean);
  const unknown = names.filter((g) => !(GROUPS as readonly string[]).includes(g) && !(g in GROUP_ALIASES));
  if (unknown.length) {
    process.stderr.write(`Unknown figure group ${unknown.join(", ")}: choose from ${GROUP_CHOICES}\n`);
    process.exit(2);
  }
  if (names.length) options.only = new Set(names.flatMap((g) => GROUP_ALIASES[g] ?? [g as Group]));
  return options;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/** Table order: like figures together (the ingest share beside ingest), memory at start and end. */
const ORDER = ["memory.idle_rss", "baseline.", "ingest.", "raw_insert.", "monitoring.", "search.", "history.", "chart.", "runs_page.", "browser.", "memory."];
const rank = (name: string) => ORDER.findIndex((prefix) => name.startsWith(prefix));

type Rss = { next: number; all: number };

/** RSS of the `next start` tree, and of all of Cairn's processes (with the launcher, and PGlite in it). */
function serverRss(server: BenchServer): Rss {
  return { next: treeRss(server.nextPid), all: treeRss(server.launcherPid) };
}

/** Waits `seconds` with the server untouched, then reads its memory. */
async function settle(seconds: number, phase: string, server: BenchServer): Promise<Rss> {
  const progress = new Progress(phase, seconds);
  for (let s = 0; s < seconds; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    progress.tick();
  }
  progress.finish();
  return serverRss(server);
}

/** Two figures per reading: the Next.js server, and every Cairn process (the one with the target). */
function memoryFigures(bench: Bench, name: string, label: string, rss: Rss, params: Record<string, unknown>, target?: number): Figure[] {
  const pglite = bench.server.database === "pglite";
  return [
    {
      name,
      label: `${label}: next start`,
      value: mb(rss.next),
      unit: "MB",
      params: { ...params, processes: "next start and its children, sum of VmRSS" },
    },
    {
      name: `${name}.all_processes`,
      label: `${label}: all processes${pglite ? " (with PGlite)" : ""}`,
      value: mb(rss.all),
      unit: "MB",
      params: {
        ...params,
        processes: pglite ? "scripts/serve.ts holding the embedded PGlite database, and next start" : "scripts/serve.ts (tsx launcher) and next start",
      },
      ...(target === undefined ? {} : { target: { atMost: target } }),
    },
  ];
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const sizes = options.quick ? QUICK : FULL;
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  note(
    `Cairn benchmark on ${options.pglite ? "embedded PGlite" : "PostgreSQL"}${options.quick ? " (--quick)" : ""}: ${[...options.only].join(", ")}; ` +
      `load average ${loadAtStart.map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} CPUs`,
  );
  if (loadAtStart[0]! > os.cpus().length) note("warning: the machine is busy; figures will be slower and noisier than on an idle machine");

  const build = await ensureBuild(options.build);
  const adminUrl = process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
  const server = await step("starting Cairn (next start)", () =>
    startServer({ pglite: options.pglite, adminUrl, keep: options.keep, profile: options.profile }),
  );
  note(`  Cairn at ${server.base}, next start pid ${server.nextPid}, log ${path.relative(ROOT, server.log)}`);
  let mlflow: MlflowServer | undefined;
  if (options.mlflow) {
    try {
      mlflow = await step("starting MLflow's tracking server (mlflow server)", () => startMlflow({ adminUrl, keep: options.keep }));
    } catch (error) {
      await server.stop();
      throw error;
    }
    note(`  MLflow ${mlflow.version} at ${mlflow.base}, log ${path.relative(ROOT, mlflow.log)}`);
  }
  const sql = connect(server.databaseUrl, 4);
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    note("\nInterrupted: stopping Cairn …");
    void sql.end({ timeout: 1 }).finally(() => Promise.all([server.stop(), mlflow?.stop()]).finally(() => process.exit(130)));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const failures: string[] = [];
  let bench: Bench | undefined;
  let postgresVersion: string | undefined;
  try {
    const [version] = await sql<{ server_version: string }[]>`show server_version`;
    postgresVersion = `${options.pglite ? "PGlite, PostgreSQL" : "PostgreSQL"} ${version!.server_version}`;

    let idle: Rss | undefined;
    if (options.only.has("memory")) idle = await settle(sizes.idleSeconds, `idle for ${sizes.idleSeconds}s after start (memory)`, server);
    const { token } = await step("creating the bench user and token (operator CLI)", () => createAccount(server));
    bench = createBench({ server, sql, token, sizes, quick: options.quick, mlflow });
    if (idle) {
      bench.figures.push(
        ...memoryFigures(bench, "memory.idle_rss", "memory (RSS), idle after start", idle, { idleSeconds: sizes.idleSeconds }, TARGETS.idleRssMb),
      );
    }

    const groups: Record<Exclude<Group, "memory">, (b: Bench) => Promise<void>> = {
      baseline: baselineGroup,
      ingest: ingestGroup,
      raw: rawGroup,
      monitoring: monitoringGroup,
      search: searchGroup,
      history: historyGroup,
      chart: chartGroup,
      page: pageGroup,
      "browser-run": browserRunGroup,
      "browser-table": browserTableGroup,
      "browser-compare": browserCompareGroup,
    };
    const peaks: Record<string, number> = {};
    const peak: Rss = { next: 0, all: 0 };
    for (const group of GROUPS) {
      if (group === "memory" || !options.only.has(group) || interrupted) continue;
      note(`${group}:`);
      const sampler = new MemorySampler([() => treeRss(server.nextPid), () => treeRss(server.launcherPid)]);
      try {
        await groups[group](bench);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.push(`${group}: ${message}`);
        note(`  FAILED: ${message}`);
      } finally {
        const [next, all] = sampler.stop();
        peaks[group] = Number(mb(next!).toFixed(1));
        peak.next = Math.max(peak.next, next!);
        peak.all = Math.max(peak.all, all!);
      }
    }
    fractionFigures(bench);
    if (options.only.has("memory")) {
      if (Object.keys(peaks).length) {
        bench.figures.push(
          ...memoryFigures(bench, "memory.peak_rss", "memory (RSS), peak under load", peak, { sampledEveryMs: 100, nextPeakMbByGroup: peaks }),
        );
      }
      const after = await settle(sizes.idleSeconds, `idle for ${sizes.idleSeconds}s after the load (memory)`, server);
      bench.figures.push(...memoryFigures(bench, "memory.rss_after_load", "memory (RSS), idle after the load", after, { idleSeconds: sizes.idleSeconds }));
    }
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    await sql.end({ timeout: 5 });
    await step("stopping Cairn", () => server.stop());
    if (mlflow) await step("stopping MLflow", () => mlflow!.stop());
  }
  if (options.keep) {
    note(options.pglite ? `Kept the PGlite folder: ${server.env.CAIRN_DATA_DIR}` : `Kept the bench database: ${server.env.DATABASE_URL}`);
  }

  const machine: Machine = {
    name: "machine",
    ...machineBasics(),
    loadAverage: { atStart: loadAtStart.map((l) => Number(l.toFixed(2))), atEnd: os.loadavg().map((l) => Number(l.toFixed(2))) },
    postgresVersion: postgresVersion ?? "unknown",
    database: server.database,
    quick: options.quick,
    cairnBuild: { ...build, gitCommit: gitCommit(ROOT) },
    mlflow: mlflow
      ? { version: mlflow.version, workers: mlflow.workers, uvicornOptions: mlflow.uvicorn, backendStore: "PostgreSQL, its own database on the same server" }
      : "not measured (--mlflow)",
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
  };
  const figures = [...(bench?.figures ?? [])].sort((a, b) => rank(a.name) - rank(b.name));
  printTable(figures, machine);
  const out = path.join(ROOT, "bench", "results.json");
  writeResults(out, figures, machine);
  note(`Figures written to ${path.relative(process.cwd(), out)}; server log in ${path.relative(process.cwd(), server.log)}`);
  if (options.profile) note(`CPU profiles in ${path.relative(process.cwd(), path.join(WORK_DIR, "profiles"))}`);
  if (failures.length) {
    note(`\n${failures.length} group${failures.length > 1 ? "s" : ""} failed:\n  ${failures.join("\n  ")}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

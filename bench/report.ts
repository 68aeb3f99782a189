import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { round } from "./stats";

/** A goal from the issue: the figure must be at most or at least this value. */
type Target = { atMost: number } | { atLeast: number };

/** One measured figure, as printed and as written to results.json. */
export type Figure = {
  name: string;
  /** The table's description of the figure (sizes included). */
  label: string;
  value: number;
  unit: "points/s" | "records/s" | "ms" | "bytes" | "MB" | "%" | "nodes";
  params: Record<string, unknown>;
  target?: Target;
  /** False when the figure was measured at other sizes than its target names (`--quick`). */
  targetApplies?: boolean;
  /** The same figure measured on MLflow's own tracking server in the same run (`--mlflow`). */
  mlflow?: number;
  /** The goal for how many times faster than MLflow Cairn is on this figure. */
  fasterThanMlflow?: number;
};

export type Machine = {
  name: "machine";
  cpuModel: string;
  cpuCount: number;
  memoryBytes: number;
  loadAverage: { atStart: number[]; atEnd: number[] };
  postgresVersion: string;
  nodeVersion: string;
  database: "postgresql" | "pglite";
  quick: boolean;
  cairnBuild: { buildId: string; builtAt: string; gitCommit: string };
  /** MLflow's tracking server beside Cairn, or why it has no figures. */
  mlflow: { version: string; workers: number; uvicornOptions: string; backendStore: string } | "not measured (--mlflow)";
  startedAt: string;
  durationSeconds: number;
};

function met(figure: Figure): boolean | undefined {
  if (!figure.target || figure.targetApplies === false || !Number.isFinite(figure.value)) return undefined;
  return "atMost" in figure.target ? figure.value <= figure.target.atMost : figure.value >= figure.target.atLeast;
}

export function gitCommit(root: string): string {
  try {
    const git = (args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const head = git(["rev-parse", "--short", "HEAD"]);
    const dirty = git(["status", "--porcelain", "--untracked-files=no"]);
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return "unknown";
  }
}

export function machineBasics(): Pick<Machine, "cpuModel" | "cpuCount" | "memoryBytes" | "nodeVersion"> {
  const cpus = os.cpus();
  return { cpuModel: cpus[0]?.model.trim() ?? "unknown", cpuCount: cpus.length, memoryBytes: os.totalmem(), nodeVersion: process.version };
}

const number = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function formatValue(value: number, unit: Figure["unit"]): string {
  if (!Number.isFinite(value)) return "n/a";
  switch (unit) {
    case "points/s":
      return `${number(value)} points/s`;
    case "records/s":
      return `${number(value)} records/s`;
    case "ms":
      return `${number(value, value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
    case "bytes":
      return value >= 1024 * 1024 ? `${number(value / 1024 / 1024, 2)} MiB` : `${number(value / 1024, 1)} KiB`;
    case "MB":
      return `${number(value, 0)} MB`;
    case "%":
      return `${number(value, 1)} %`;
    case "nodes":
      return `${number(value)} nodes`;
  }
}

function formatTarget(target: Target | undefined, unit: Figure["unit"]): string {
  if (!target) return "";
  return "atMost" in target ? `≤ ${formatValue(target.atMost, unit)}` : `≥ ${formatValue(target.atLeast, unit)}`;
}

/**
 * How many times faster Cairn is than MLflow on a figure (above 1: Cairn faster): Cairn ÷ MLflow
 * for a throughput, MLflow ÷ Cairn for a latency. Sizes and memory have no ratio.
 */
function speedRatio(figure: Figure): number | undefined {
  if (figure.mlflow === undefined) return undefined;
  if (figure.unit === "points/s") return figure.value / figure.mlflow;
  if (figure.unit === "ms") return figure.mlflow / figure.value;
  return undefined;
}

/** Whether Cairn is as many times faster than MLflow as the goal says; undefined without a goal, or at other sizes. */
function ratioMet(figure: Figure, ratio: number | undefined): boolean | undefined {
  if (ratio === undefined || figure.fasterThanMlflow === undefined || figure.targetApplies === false) return undefined;
  return ratio >= figure.fasterThanMlflow;
}

function formatRatio(figure: Figure, ratio: number | undefined): string {
  if (ratio === undefined) return "";
  const times = (x: number) => `${number(x, x < 10 ? 2 : 1)}×`;
  if (figure.fasterThanMlflow === undefined) return times(ratio);
  const verdict = ratioMet(figure, ratio);
  return `${times(ratio)} (≥ ${times(figure.fasterThanMlflow)}${verdict === undefined ? ", other size" : verdict ? ": yes" : ": NO"})`;
}

/** The figures as a plain-text table on stdout, with targets, the verdict, and MLflow's figures when measured. */
export function printTable(figures: readonly Figure[], machine: Machine): void {
  const compared = typeof machine.mlflow === "object";
  const rows = figures.map((f) => {
    const verdict = met(f);
    const ratio = speedRatio(f);
    return [
      f.label,
      formatValue(f.value, f.unit),
      formatTarget(f.target, f.unit),
      verdict === undefined ? (f.target ? "(other size)" : "") : verdict ? "yes" : "NO",
      ...(compared ? [f.mlflow === undefined ? "" : formatValue(f.mlflow, f.unit), formatRatio(f, ratio)] : []),
    ];
  });
  const header = ["figure", "Cairn", "target", "met?"];
  if (typeof machine.mlflow === "object") header.push(`MLflow ${machine.mlflow.version}`, "Cairn faster ×");
  const rightAligned = new Set([1, 4, 5]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const mlflowLine =
    typeof machine.mlflow === "object"
      ? `MLflow ${machine.mlflow.version} tracking server (${machine.mlflow.workers} uvicorn workers, ${machine.mlflow.backendStore}) given the same requests; ` +
        `"Cairn faster ×" is Cairn ÷ MLflow for points/s and MLflow ÷ Cairn for latencies`
      : `MLflow: ${machine.mlflow}`;
  const out = [
    "",
    `Cairn benchmark on ${machine.database === "pglite" ? "embedded PGlite" : "PostgreSQL"} (${machine.postgresVersion}), ` +
      `${machine.cpuCount} × ${machine.cpuModel}, ${number(machine.memoryBytes / 1024 ** 3, 1)} GiB, Node ${machine.nodeVersion}` +
      `${machine.quick ? ", --quick sizes" : ""}`,
    `Load average at start ${machine.loadAverage.atStart.map((l) => l.toFixed(2)).join(" ")}, at end ${machine.loadAverage.atEnd.map((l) => l.toFixed(2)).join(" ")}`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    mlflowLine,
    "",
  ];
  process.stdout.write(out.join("\n") + "\n");
}

/** bench/results.json: one object per figure, then the machine. */
export function writeResults(file: string, figures: readonly Figure[], machine: Machine): void {
  const entries = figures.map((f) => {
    const verdict = met(f);
    const ratio = speedRatio(f);
    return {
      name: f.name,
      value: round(f.value),
      unit: f.unit,
      params: f.params,
      ...(f.target ? { target: f.target } : {}),
      ...(verdict === undefined ? {} : { met: verdict }),
      ...(f.mlflow === undefined
        ? {}
        : {
            mlflow: {
              value: round(f.mlflow),
              ...(ratio === undefined ? {} : { cairnFasterBy: round(ratio) }),
              ...(f.fasterThanMlflow === undefined ? {} : { goal: { cairnFasterBy: f.fasterThanMlflow } }),
              ...(ratioMet(f, ratio) === undefined ? {} : { met: ratioMet(f, ratio) }),
            },
          }),
    };
  });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify([...entries, machine], null, 2) + "\n");
}

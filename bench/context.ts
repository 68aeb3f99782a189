import type postgres from "postgres";
import { createProject, type BenchProject } from "./accounts";
import type { BenchServer } from "./launcher";
import type { MlflowServer } from "./mlflow-server";
import type { Figure } from "./report";
import type { Sizes } from "./sizes";

/** What every figure group works with. */
export type Bench = {
  server: BenchServer;
  /** Direct connections to the bench database (up to four), for loading data and the raw ceiling. */
  sql: postgres.Sql;
  token: string;
  sizes: Sizes;
  quick: boolean;
  /** MLflow's own tracking server, given the same load (`--mlflow`). */
  mlflow?: MlflowServer;
  figures: Figure[];
  /** Ingest points/s and the raw-insert ceiling, by client count, for the fraction figure. */
  ingestRate: Map<number, number>;
  ceiling: Map<number, { rate: number; methods: string[] }>;
  /** Creates the project on first use (through the operator CLI), then returns it. */
  project(slug: string): Promise<BenchProject>;
  memo: Map<string, Promise<unknown>>;
};

export function createBench(fields: Omit<Bench, "figures" | "ingestRate" | "ceiling" | "project" | "memo">): Bench {
  const memo = new Map<string, Promise<unknown>>();
  const bench: Bench = {
    ...fields,
    figures: [],
    ingestRate: new Map(),
    ceiling: new Map(),
    memo,
    project: (slug) => once(bench, `project:${slug}`, () => createProject(fields.server, fields.sql, slug)),
  };
  return bench;
}

/** Runs `load` once per bench, however many groups ask for it. */
export function once<T>(bench: Bench, key: string, load: () => Promise<T>): Promise<T> {
  let hit = bench.memo.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    bench.memo.set(key, hit);
  }
  return hit;
}

/** Headers of an MLflow client or script: the bench user's token. */
export function authorization(bench: Bench): Record<string, string> {
  return { authorization: `Bearer ${bench.token}` };
}

export const mlflowUrl = (bench: Bench, slug: string, endpoint: string) => `${bench.server.base}/p/${slug}/api/2.0/mlflow/${endpoint}`;

/** Where the MLflow REST load goes: one of Cairn's projects, or an experiment on MLflow's own server. */
export type TrackingApi = {
  name: "Cairn" | "MLflow";
  url(endpoint: string): string;
  headers: Record<string, string>;
  /** The experiment runs are created in and searched: Cairn's project Default (0), or MLflow's own. */
  experimentId: string;
};

export function cairnApi(bench: Bench, slug: string): TrackingApi {
  return { name: "Cairn", url: (endpoint) => mlflowUrl(bench, slug, endpoint), headers: authorization(bench), experimentId: "0" };
}

export const hexId = (uuid: string) => uuid.replaceAll("-", "");

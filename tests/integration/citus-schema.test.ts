import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../server/db/client";
import { citusViolations, parsePlan, readCatalog, type Catalog, type Plan } from "../support/citus-rules";

/** docs/SCALING.md's Citus commands, held against the migrated schema (tests/support/citus-rules.ts). */

const plan = parsePlan(readFileSync("docs/SCALING.md", "utf8"));
let catalog: Catalog;

beforeAll(async () => {
  catalog = await readCatalog(getDb());
});

describe("the Citus commands in docs/SCALING.md", () => {
  it("distribute the metrics tables: series by run, points and rollups by series, co-located", () => {
    expect(plan.steps.filter((s) => s.kind === "distributed")).toEqual([
      { kind: "distributed", table: "metric_series", column: "run_id" },
      { kind: "distributed", table: "metric_points", column: "series_id" },
      { kind: "distributed", table: "metric_rollups", column: "series_id", colocateWith: "metric_points" },
    ]);
  });

  it("apply to the schema as migrated", () => {
    expect(citusViolations(plan, catalog)).toEqual([]);
  });
});

describe("the rules", () => {
  const without = (table: string): Plan => ({ steps: plan.steps.filter((s) => s.table !== table) });

  it("refuse a unique key without the distribution column", () => {
    const byKey: Plan = { steps: plan.steps.map((s) => (s.table === "metric_series" ? { ...s, column: "key" } : s)) };
    expect(citusViolations(byKey, catalog)).toContain(
      "metric_series: unique index metric_series_run_id_id_pk (run_id, id) does not contain the distribution column key",
    );
  });

  it("refuse a foreign key from a distributed table to a local one, and a command before its table's references", () => {
    expect(citusViolations(without("runs"), catalog)).toEqual(
      expect.arrayContaining([
        "metric_series: its foreign key metric_series_run_id_runs_id_fk points to runs, which is not made a Citus table before it",
        "metric_series → runs (metric_series_run_id_runs_id_fk): a distributed table may reference only reference tables and co-located distributed tables",
      ]),
    );
  });

  it("refuse foreign keys across co-location groups, from other tables into distributed ones, and cascades over the distribution column", () => {
    const synthetic: Catalog = {
      columns: [
        { table: "a", column: "id", type: "bigint", nullable: false, identity: true },
        { table: "b", column: "a_id", type: "bigint", nullable: false, identity: false },
        { table: "c", column: "a_id", type: "bigint", nullable: true, identity: false },
        { table: "d", column: "id", type: "integer", nullable: false, identity: true },
      ],
      uniqueIndexes: [],
      foreignKeys: [
        { table: "b", name: "b_a", columns: ["a_id"], refTable: "a", refColumns: ["id"], onDelete: "n", onUpdate: "c" },
        { table: "c", name: "c_a", columns: ["a_id"], refTable: "a", refColumns: ["id"], onDelete: "a", onUpdate: "a" },
      ],
    };
    const steps: Plan["steps"] = [
      { kind: "distributed", table: "a", column: "id" },
      { kind: "distributed", table: "b", column: "a_id", colocateWith: "a" },
      { kind: "distributed", table: "d", column: "id" },
    ];
    expect(citusViolations({ steps }, synthetic)).toEqual([
      "d.id: an identity column of a distributed table must be bigint, not integer",
      "b → a (b_a): ON DELETE SET NULL or SET DEFAULT over the distribution column",
      "b → a (b_a): ON UPDATE SET NULL, SET DEFAULT or CASCADE over the distribution column",
      "c → a (c_a): only a co-located distributed table may reference a distributed table",
    ]);
    const apart: Plan["steps"] = [
      steps[0]!,
      { kind: "distributed", table: "c", column: "a_id", colocateWith: "none" },
      { kind: "distributed", table: "b", column: "a_id", colocateWith: "c" },
    ];
    expect(citusViolations({ steps: apart }, synthetic)).toEqual(
      expect.arrayContaining(["c.a_id: a distribution column must be NOT NULL", "b → a (b_a): between distributed tables that are not co-located"]),
    );
  });
});

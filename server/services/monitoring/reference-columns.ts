import type { ReferenceColumn } from "../../db/schema";
import { invalid } from "../../errors";
import type { SignatureField } from "../registry/mlmodel";
import { binCount, binOf } from "./binning";

/** A table as `mlflow.log_table` writes it (pandas' "split" orient without the index). */
export type Table = { columns: string[]; data: unknown[][] };

/** Which column holds the predictions and which the labels; the signature's inputs when there is one. */
export type ReferenceRoles = { prediction?: string; label?: string; signatureInputs: SignatureField[] | null };

const QUANTILE_BINS = 10;
const TOP_CATEGORIES = 20;
const NUMERIC_TYPES = new Set(["double", "float", "long", "integer"]);

// As `binOf` reads production values; NaN too, which Parquet and CSV files may hold for a missing number.
const absent = (value: unknown) => value === null || value === undefined || (typeof value === "number" && Number.isNaN(value));

/** The q-quantile of sorted values, interpolated linearly between ranks (numpy's default). */
function quantile(sorted: ArrayLike<number>, q: number): number {
  const rank = (sorted.length - 1) * q;
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (rank - below);
}

/** The inner cut points of ten quantile bins, without repeats (a column with few values has fewer bins). */
function quantileEdges(values: number[]): number[] {
  if (!values.length) return [];
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let i = 1; i < QUANTILE_BINS; i++) {
    const edge = quantile(sorted, i / QUANTILE_BINS);
    if (edges[edges.length - 1] !== edge) edges.push(edge);
  }
  return edges;
}

/** The values a numeric column bins (numbers and numeric text, as `binOf` reads them), as numbers. */
function numbersAmong(values: unknown[]): number[] {
  const probe: ReferenceColumn = { name: "", role: "feature", kind: "numeric", edges: [], counts: [], missing: 0 };
  return values.filter((v) => binOf(probe, v) !== null).map(Number);
}

/** The most frequent values (ties by name, so one table always gives one reference). */
function topCategories(values: unknown[]): string[] {
  const counts = new Map<string, number>();
  for (const value of values) {
    const key = String(value);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, TOP_CATEGORIES)
    .map(([key]) => key);
}

/**
 * One column's reference. The signature's type decides numeric or categorical when there is one;
 * otherwise a column whose present values are all finite numbers is numeric. Counts go through
 * `binOf`, so production values are binned by exactly the rule that binned the reference.
 */
function columnOf(name: string, role: ReferenceColumn["role"], values: unknown[], declaredType: string | null): ReferenceColumn {
  const present = values.filter((v) => !absent(v));
  const numeric = declaredType ? NUMERIC_TYPES.has(declaredType) : present.length > 0 && present.every((v) => typeof v === "number" && Number.isFinite(v));
  const shape: ReferenceColumn = numeric
    ? { name, role, kind: "numeric", edges: quantileEdges(numbersAmong(present)), counts: [], missing: 0 }
    : { name, role, kind: "categorical", categories: topCategories(present), counts: [], missing: 0 };
  const counts = new Array<number>(binCount(shape)).fill(0);
  let missing = 0;
  for (const value of values) {
    const bin = absent(value) ? null : binOf(shape, value);
    if (bin === null) missing++;
    else counts[bin]!++;
  }
  return { ...shape, counts, missing };
}

/**
 * The reference of a table: every feature column and the prediction column binned; the label
 * column left out (it is what production labels are compared with, not a distribution to watch).
 * With a signature, features are its named inputs: a required one missing from the table is refused.
 */
export function referenceColumns(table: Table, roles: ReferenceRoles): ReferenceColumn[] {
  const present = new Set(table.columns);
  for (const [role, name] of [
    ["prediction", roles.prediction],
    ["label", roles.label],
  ] as const) {
    if (name !== undefined && !present.has(name))
      throw invalid(`The ${role} column '${name}' is not in the table (columns: ${table.columns.slice(0, 20).join(", ")})`);
  }
  const prediction = roles.prediction ?? (present.has("prediction") ? "prediction" : null);
  const named = (roles.signatureInputs ?? []).filter((f): f is SignatureField & { name: string } => f.name !== null);
  const inputs = named.length ? new Map(named.map((f) => [f.name, f])) : null;
  const label = roles.label ?? (present.has("label") && !inputs?.has("label") ? "label" : null);
  if (inputs) {
    const lacking = [...inputs.values()].filter((f) => f.required && !present.has(f.name)).map((f) => f.name);
    if (lacking.length) throw invalid(`The table lacks the model signature's inputs ${lacking.slice(0, 10).join(", ")}`);
  }
  const columns: ReferenceColumn[] = [];
  table.columns.forEach((name, index) => {
    if (name === label) return;
    const role = name === prediction ? "prediction" : "feature";
    if (role === "feature" && inputs && !inputs.has(name)) return;
    const values = table.data.map((row) => row[index]);
    columns.push(columnOf(name, role, values, role === "feature" ? (inputs?.get(name)?.type ?? null) : null));
  });
  return columns;
}

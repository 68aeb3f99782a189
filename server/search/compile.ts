import { and, or, sql, type SQL } from "drizzle-orm";
import { invalid } from "../errors";
import type { Comparator, Comparison, FilterExpr, Identifier, Literal } from "./filter";

/** A column, or an expression over the searched table, compared directly. */
export type ColumnTarget = { kind: "column"; expr: SQL };

/**
 * How one searchable entity maps identifiers to SQL. A keyed value (a tag of an experiment or a
 * model) lives in a side table: `from` selects its rows for the searched row and the key, and the
 * comparison is tested on `value` inside an EXISTS.
 */
export type Resolver = (identifier: Identifier) => ColumnTarget | { kind: "keyed"; from: SQL; value: SQL; missingMatchesNotEqual?: boolean };

/** Comparisons per filter: far more than people write, few enough to bound what one search costs. */
export const MAX_COMPARISONS = 100;

/**
 * Every comparison of the filter, left to right. Each way of compiling a filter starts here, so
 * this is where more than MAX_COMPARISONS are refused.
 */
export function comparisonsOf(expr: FilterExpr | null): Comparison[] {
  const all = expr ? flatten(expr) : [];
  if (all.length > MAX_COMPARISONS) {
    const message = `The filter has ${all.length} comparisons; at most ${MAX_COMPARISONS} are allowed`;
    throw invalid(message, { filter: message });
  }
  return all;
}

const flatten = (expr: FilterExpr): Comparison[] => (expr.type === "comparison" ? [expr] : expr.operands.flatMap(flatten));

/**
 * A literal as a typed parameter. Whole numbers are bigint (so integer columns keep their indexes);
 * fractions and numbers beyond 2^53 are float8, which every numeric column can be compared with.
 */
function literal(value: Literal): SQL {
  if (typeof value === "string") return sql`${value}`;
  return Number.isSafeInteger(value) ? sql`${value}::bigint` : sql`${value}::float8`;
}

/** A literal value, or a list as an array, as the operand of `compare`. */
export function operandOf(value: Literal | Literal[]): SQL {
  return Array.isArray(value) ? sql`array[${sql.join(value.map(literal), sql`, `)}]` : literal(value);
}

/**
 * Applies a comparator; IN and NOT IN take an array operand. LIKE and ILIKE keep SQL wildcards, as
 * MLflow does. The one definition of what each comparator means, for literals and term tables alike.
 */
export function compare(expr: SQL, comparator: Comparator, operand: SQL): SQL {
  switch (comparator) {
    case "=":
      return sql`${expr} = ${operand}`;
    case "!=":
      return sql`${expr} <> ${operand}`;
    case "<":
      return sql`${expr} < ${operand}`;
    case "<=":
      return sql`${expr} <= ${operand}`;
    case ">":
      return sql`${expr} > ${operand}`;
    case ">=":
      return sql`${expr} >= ${operand}`;
    case "LIKE":
      return sql`${expr} like ${operand}`;
    case "ILIKE":
      return sql`${expr} ilike ${operand}`;
    case "IN":
      return sql`${expr} = any(${operand})`;
    case "NOT IN":
      return sql`${expr} <> all(${operand})`;
  }
}

/** Compiles the AND/OR tree, each comparison by `leaf`; an empty filter matches everything. */
export function compileTree(expr: FilterExpr | null, leaf: (comparison: Comparison) => SQL): SQL | undefined {
  if (!expr) return undefined;
  if (expr.type === "comparison") return leaf(expr);
  const parts = expr.operands.map((operand) => compileTree(operand, leaf)!);
  return expr.type === "and" ? and(...parts) : or(...parts);
}

/**
 * Up to this many EXISTS in one filter are left to the planner, which turns them into joins and can
 * then stop early (walking an index in the order asked for). Beyond, it spent seconds planning
 * those joins (6.7 s for a hundred), so each stays a subplan run per row.
 */
export const JOINABLE_EXISTS = 4;

function compileComparison(comparison: Comparison, resolve: Resolver, fence: SQL): SQL {
  const target = resolve(comparison.identifier);
  if (target.kind === "column") return compare(target.expr, comparison.comparator, operandOf(comparison.value));
  const holds = (comparator: Comparator) => sql`exists (${target.from} and ${compare(target.value, comparator, operandOf(comparison.value))}${fence})`;
  // A resolver may declare that a missing key satisfies != (MLflow's prompt tag); otherwise, as in
  // MLflow's run search, a missing key never matches, even for !=.
  if (target.missingMatchesNotEqual && (comparison.comparator === "!=" || comparison.comparator === "NOT IN")) {
    return sql`not ${holds(comparison.comparator === "!=" ? "=" : "IN")}`;
  }
  return holds(comparison.comparator);
}

/** Compiles a parsed filter into a WHERE condition, one EXISTS per keyed comparison. */
export function compileFilter(expr: FilterExpr | null, resolve: Resolver): SQL | undefined {
  const keyed = comparisonsOf(expr).filter((c) => resolve(c.identifier).kind === "keyed").length;
  // `offset 0` keeps an EXISTS from being pulled up into a join.
  const fence = keyed > JOINABLE_EXISTS ? sql` offset 0` : sql``;
  return compileTree(expr, (comparison) => compileComparison(comparison, resolve, fence));
}

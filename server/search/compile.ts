import { and, or, sql, type SQL } from "drizzle-orm";
import type { Comparator, Comparison, FilterExpr, Identifier, Literal } from "./filter";

/**
 * How one searchable entity maps identifiers to SQL. A column is compared directly; a keyed value
 * (a metric, param or tag) lives in a side table and is tested inside an EXISTS.
 */
export type Resolver = (identifier: Identifier) =>
  | { kind: "column"; expr: SQL }
  | { kind: "keyed"; matches: (test: (value: SQL) => SQL) => SQL; missingMatchesNotEqual?: boolean };

/**
 * A literal as a typed parameter. Whole numbers are bigint (so integer columns keep their indexes);
 * fractions and numbers beyond 2^53 are float8, which every numeric column can be compared with.
 */
function literal(value: Literal): SQL {
  if (typeof value === "string") return sql`${value}`;
  return Number.isSafeInteger(value) ? sql`${value}::bigint` : sql`${value}::float8`;
}

/** Applies a comparator to a SQL expression; LIKE and ILIKE keep SQL wildcards, as MLflow does. */
export function compare(expr: SQL, comparator: Comparator, value: Literal | Literal[]): SQL {
  const list = (values: Literal | Literal[]) => sql.join((values as Literal[]).map(literal), sql`, `);
  switch (comparator) {
    case "=":
      return sql`${expr} = ${literal(value as Literal)}`;
    case "!=":
      return sql`${expr} <> ${literal(value as Literal)}`;
    case "<":
      return sql`${expr} < ${literal(value as Literal)}`;
    case "<=":
      return sql`${expr} <= ${literal(value as Literal)}`;
    case ">":
      return sql`${expr} > ${literal(value as Literal)}`;
    case ">=":
      return sql`${expr} >= ${literal(value as Literal)}`;
    case "LIKE":
      return sql`${expr} like ${literal(value as Literal)}`;
    case "ILIKE":
      return sql`${expr} ilike ${literal(value as Literal)}`;
    case "IN":
      return sql`${expr} in (${list(value)})`;
    case "NOT IN":
      return sql`${expr} not in (${list(value)})`;
  }
}

function compileComparison(comparison: Comparison, resolve: Resolver): SQL {
  const target = resolve(comparison.identifier);
  const test = (expr: SQL) => compare(expr, comparison.comparator, comparison.value);
  if (target.kind === "column") return test(target.expr);
  // A resolver may declare that a missing key satisfies != (MLflow's prompt tag); otherwise, as in
  // MLflow's run search, a missing key never matches, even for !=.
  if (target.missingMatchesNotEqual && (comparison.comparator === "!=" || comparison.comparator === "NOT IN")) {
    const opposite = comparison.comparator === "!=" ? "=" : "IN";
    return sql`not ${target.matches((expr) => compare(expr, opposite, comparison.value))}`;
  }
  return target.matches(test);
}

/** Compiles a parsed filter into a WHERE condition; an empty filter matches everything. */
export function compileFilter(expr: FilterExpr | null, resolve: Resolver): SQL | undefined {
  if (!expr) return undefined;
  if (expr.type === "comparison") return compileComparison(expr, resolve);
  const parts = expr.operands.map((operand) => compileFilter(operand, resolve)!);
  return expr.type === "and" ? and(...parts) : or(...parts);
}

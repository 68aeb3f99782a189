import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { compare, compileFilter, compileTree, comparisonsOf, JOINABLE_EXISTS, operandOf, type ColumnTarget, type Resolver } from "./compile";
import type { Comparator, Comparison, FilterExpr, Identifier, Literal, ValueType } from "./filter";
import { numberRegions } from "./number-regions";

/**
 * Keyed values of the searched rows kept in a side table (a run's metrics, params, tags, datasets):
 * `rows` selects `(owner, key, value)`, `owner` being the searched row's id. A key may have several
 * rows per owner; a comparison holds when one of them satisfies it.
 */
export type SideTable = { name: string; type: ValueType; rows: SQL };

export type SideResolver = (identifier: Identifier) => ColumnTarget | { kind: "side"; table: SideTable; key: string };

/** The searched table, its id, and the condition that bounds which of its rows are searched. */
export type Owner = { table: PgTable; id: AnyPgColumn; scope: SQL };

type Term = { comparison: Comparison; key: string; index: number };
type Group = { table: SideTable; alias: ReturnType<typeof sql.identifier>; terms: Term[] };

const WORD_BITS = 64;

/** Comparison `index`'s bit in its word, and that word as PostgreSQL's (signed) bigint text. */
const bitOf = (index: number) => 1n << BigInt(index % WORD_BITS);
const int8Text = (word: bigint) => BigInt.asIntN(WORD_BITS, word).toString();
const maskOf = (index: number) => int8Text(bitOf(index));
const wordOf = (index: number) => Math.floor(index / WORD_BITS);
const wordColumn = (word: number) => sql.identifier(`w${word}`);

/**
 * Compiles a filter over `owner` so that its cost grows gently with the number of comparisons.
 *
 * A few comparisons on side tables are one EXISTS each, as the planner handles those best. With
 * more, each comparison gets a bit, and one grouped join per side table finds, for all searched rows
 * at once, the bits of the comparisons each satisfies: the comparisons travel as a VALUES list (one
 * row per key for numbers, per comparison for text) joined to the rows of the keys they name. The
 * filter's AND/OR tree then tests bits. (As EXISTS, a hundred comparisons cost the planner seconds;
 * as per-row subplans, one probe per comparison and searched row.)
 *
 * That form is `owner.id in (select …)`, so callers keep using the result as a plain WHERE. Inside
 * it, `scope` and the column targets refer to `owner.table` by its own name, which each subquery
 * lists again.
 */
export function compileSideFilter(expr: FilterExpr | null, resolve: SideResolver, owner: Owner): SQL | undefined {
  const comparisons = comparisonsOf(expr);
  if (comparisons.filter((c) => resolve(c.identifier).kind === "side").length <= JOINABLE_EXISTS) {
    return compileFilter(expr, existsResolver(resolve, owner));
  }
  const groups = new Map<string, Group>();
  const leaves = new Map<Comparison, SQL>();
  for (const comparison of comparisons) {
    const target = resolve(comparison.identifier);
    if (target.kind === "column") {
      leaves.set(comparison, compare(target.expr, comparison.comparator, operandOf(comparison.value)));
      continue;
    }
    let group = groups.get(target.table.name);
    if (!group) {
      group = { table: target.table, alias: sql.identifier(`filter_${target.table.name}`), terms: [] };
      groups.set(target.table.name, group);
    }
    const index = group.terms.length;
    group.terms.push({ comparison, key: target.key, index });
    const word = sql`${group.alias}.${wordColumn(wordOf(index))}`;
    leaves.set(comparison, sql`coalesce((${word} & ${maskOf(index)}::int8) <> 0, false)`);
  }
  const tree = compileTree(expr, (comparison) => leaves.get(comparison)!);
  const joins = [...groups.values()].map((group) => sql`left join (${satisfiedBits(group, owner)}) as ${group.alias} on ${group.alias}.owner = ${owner.id}`);
  return sql`${owner.id} in (select ${owner.id} from ${owner.table} ${sql.join(joins, sql` `)} where ${owner.scope} and ${tree} offset 0)`;
}

/** The side tables' comparisons as one EXISTS each, over the same `(owner, key, value)` rows. */
function existsResolver(resolve: SideResolver, owner: Owner): Resolver {
  return (identifier) => {
    const target = resolve(identifier);
    if (target.kind === "column") return target;
    const from = sql`select 1 from (${target.table.rows}) as s where s.owner = ${owner.id} and s.key = ${target.key}`;
    return { kind: "keyed", from, value: sql`s.value` };
  };
}

const isList = (comparator: Comparator) => comparator === "IN" || comparator === "NOT IN";

/** Per searched row holding any of the group's keys, the bits of the comparisons it satisfies. */
function satisfiedBits(group: Group, owner: Owner): SQL {
  const words = Array.from({ length: wordOf(group.terms.length - 1) + 1 }, (_, word) => word);
  const keys = sql.join(
    [...new Set(group.terms.map((t) => t.key))].map((key) => sql`${key}`),
    sql`, `,
  );
  // Planned apart (`offset 0`), the named keys' rows of the searched rows are estimated from their
  // own statistics: joined with the term rows first, the planner misjudged their number badly.
  const found = sql`select r.owner, r.key, r.value from (${group.table.rows}) as r
    where r.key in (${keys}) and r.owner in (select ${owner.id} from ${owner.table} where ${owner.scope}) offset 0`;
  const { values, columns, bits, test } = group.table.type === "number" ? numberTerms(group, words) : textTerms(group, words);
  // Each side row's bits are worked out before grouping, so that only they are sorted or hashed.
  const matched = sql`select s.owner, ${sql.join(
    words.map((word) => sql`${bits(word)} as ${wordColumn(word)}`),
    sql`, `,
  )}
    from (${found}) as s
    join (values ${sql.join(values, sql`, `)}) as t(${sql.join(columns, sql`, `)}) on t.key = s.key
    ${test ? sql`where ${test}` : sql``}
    offset 0`;
  const bitOr = sql.join(
    words.map((word) => sql`bit_or(m.${wordColumn(word)}) as ${wordColumn(word)}`),
    sql`, `,
  );
  return sql`select m.owner, ${bitOr} from (${matched}) as m group by m.owner`;
}

type TermRows = { values: SQL[]; columns: (SQL | ReturnType<typeof sql.identifier>)[]; bits: (word: number) => SQL; test?: SQL };

/**
 * Numbers: one row per key, holding the regions its comparisons split the number line into (see
 * `numberRegions`) and each region's bits, so that a side row is looked at once however many
 * comparisons name its key.
 */
function numberTerms(group: Group, words: number[]): TermRows {
  const byKey = new Map<string, Term[]>();
  for (const term of group.terms) byKey.set(term.key, [...(byKey.get(term.key) ?? []), term]);
  const values = [...byKey].map(([key, terms]) => {
    const { thresholds, holds } = numberRegions(terms.map((t) => ({ comparator: t.comparison.comparator, literal: t.comparison.value as number })));
    const bits = words.map((word) => {
      const masks = holds.map((holding) => terms.reduce((mask, t, i) => (holding[i] && wordOf(t.index) === word ? mask | bitOf(t.index) : mask), 0n));
      return sql`${`{${masks.map(int8Text).join(",")}}`}::int8[]`;
    });
    return sql`(${key}::text, ${`{${thresholds.join(",")}}`}::float8[], ${sql.join(bits, sql`, `)})`;
  });
  return {
    values,
    columns: [sql`key`, sql`thresholds`, ...words.map(wordColumn)],
    bits: (word) => sql`t.${wordColumn(word)}[width_bucket(s.value, t.thresholds) + 1]`,
  };
}

/** Text: one row per comparison, tested against each side row of its key. */
function textTerms(group: Group, words: number[]): TermRows {
  const values = group.terms.map(({ comparison, key, index }) => {
    const list = isList(comparison.comparator);
    const arg = list ? sql`null` : sql`${comparison.value as Literal}`;
    const listed = list ? operandOf(comparison.value) : sql`null`;
    const bits = words.map((word) => sql`${word === wordOf(index) ? maskOf(index) : "0"}::int8`);
    return sql`(${key}::text, ${comparison.comparator}::text, ${arg}::text, ${listed}::text[], ${sql.join(bits, sql`, `)})`;
  });
  const comparators = [...new Set(group.terms.map((t) => t.comparison.comparator))];
  const test = (comparator: Comparator) => compare(sql`s.value`, comparator, isList(comparator) ? sql`t.list` : sql`t.arg`);
  return {
    values,
    columns: [sql`key`, sql`op`, sql`arg`, sql`list`, ...words.map(wordColumn)],
    bits: (word) => sql`t.${wordColumn(word)}`,
    test:
      comparators.length === 1
        ? test(comparators[0]!)
        : sql`(case t.op ${sql.join(
            comparators.map((c) => sql`when ${c} then ${test(c)}`),
            sql` `,
          )} end)`,
  };
}

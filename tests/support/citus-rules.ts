import { sql } from "drizzle-orm";
import type { Database } from "../../server/db/client";

/**
 * Citus's rules for distributed and reference tables, restated so a test can hold a schema and a
 * distribution plan to them without a Citus cluster (none installs here). From Citus's
 * documentation ("Creating and Modifying Distributed Objects") and its foreign-key checks:
 * - a primary key or unique index of a distributed table must contain the distribution column;
 * - a foreign key from a distributed table goes to a reference table, or to a co-located distributed
 *   table with both distribution columns at the same position in the key;
 * - a foreign key that contains the distribution column cannot SET NULL or SET DEFAULT on delete,
 *   nor SET NULL, SET DEFAULT or CASCADE on update;
 * - a reference table references reference tables only, and only distributed tables reference
 *   distributed tables (local tables may reference reference tables once the coordinator is in the
 *   metadata);
 * - tables are co-located when they are distributed on columns of the same type (the default), or
 *   explicitly with `colocate_with` (`'none'`: a group of its own); an identity column of a distributed table must be bigint;
 * - a table is distributed or made a reference table after the tables its foreign keys point to.
 */

export type Plan = {
  /** In command order. */
  steps: ({ kind: "reference"; table: string } | { kind: "distributed"; table: string; column: string; colocateWith?: string })[];
};

export type Catalog = {
  columns: { table: string; column: string; type: string; nullable: boolean; identity: boolean }[];
  uniqueIndexes: { table: string; name: string; columns: (string | null)[] }[];
  foreignKeys: { table: string; name: string; columns: string[]; refTable: string; refColumns: string[]; onDelete: string; onUpdate: string }[];
};

/** The plan in a Markdown text's `create_reference_table` and `create_distributed_table` calls, in order. */
export function parsePlan(markdown: string): Plan {
  const call = /create_(reference|distributed)_table\(\s*'([^']+)'(?:\s*,\s*'([^']+)')?(?:\s*,\s*colocate_with\s*=>\s*'([^']+)')?\s*\)/g;
  return {
    steps: [...markdown.matchAll(call)].map(([, kind, table, column, colocateWith]) =>
      kind === "reference"
        ? { kind: "reference", table: table! }
        : { kind: "distributed", table: table!, column: column!, ...(colocateWith ? { colocateWith } : {}) },
    ),
  };
}

/** The public schema's columns, unique indexes (primary keys included) and foreign keys. */
export async function readCatalog(db: Database): Promise<Catalog> {
  const columns = await db.execute<{ table: string; column: string; type: string; nullable: string; identity: string }>(sql`
    select table_name as "table", column_name as "column", data_type as type, is_nullable as nullable, is_identity as identity
    from information_schema.columns where table_schema = 'public'`);
  const uniqueIndexes = await db.execute<{ table: string; name: string; columns: (string | null)[] }>(sql`
    select t.relname::text as "table", i.relname::text as name,
           array(select a.attname::text from unnest(x.indkey::int2[]) with ordinality k(n, o)
                 left join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.n order by k.o) as columns
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
    where x.indisunique and t.relnamespace = 'public'::regnamespace`);
  const foreignKeys = await db.execute<Catalog["foreignKeys"][number]>(sql`
    select t.relname::text as "table", c.conname::text as name, r.relname::text as "refTable",
           array(select a.attname::text from unnest(c.conkey) with ordinality k(n, o)
                 join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.o) as columns,
           array(select a.attname::text from unnest(c.confkey) with ordinality k(n, o)
                 join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.o) as "refColumns",
           c.confdeltype::text as "onDelete", c.confupdtype::text as "onUpdate"
    from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_class r on r.oid = c.confrelid
    where c.contype = 'f' and c.connamespace = 'public'::regnamespace`);
  return {
    columns: columns.map((c) => ({ ...c, nullable: c.nullable === "YES", identity: c.identity === "YES" })),
    uniqueIndexes: [...uniqueIndexes],
    foreignKeys: [...foreignKeys],
  };
}

const SET_NULL = "n";
const SET_DEFAULT = "d";
const CASCADE = "c";

/** Every way the plan breaks a rule above on this catalog; empty when its commands would apply. */
export function citusViolations(plan: Plan, catalog: Catalog): string[] {
  const problems: string[] = [];
  const columnOf = (table: string, column: string) => catalog.columns.find((c) => c.table === table && c.column === column);
  const reference = new Set<string>();
  const distributed = new Map<string, { column: string; group: string }>();

  plan.steps.forEach((step, position) => {
    if (!catalog.columns.some((c) => c.table === step.table)) return problems.push(`${step.table}: no such table`);
    const before = new Set(plan.steps.slice(0, position).map((s) => s.table));
    for (const fk of catalog.foreignKeys.filter((f) => f.table === step.table && f.refTable !== step.table)) {
      if (!before.has(fk.refTable))
        problems.push(`${step.table}: its foreign key ${fk.name} points to ${fk.refTable}, which is not made a Citus table before it`);
    }
    if (step.kind === "reference") return reference.add(step.table);
    const column = columnOf(step.table, step.column);
    if (!column) return problems.push(`${step.table}: no distribution column ${step.column}`);
    if (column.nullable) problems.push(`${step.table}.${step.column}: a distribution column must be NOT NULL`);
    let group = column.type;
    if (step.colocateWith === "none") group = `none:${step.table}`;
    else if (step.colocateWith) {
      const other = distributed.get(step.colocateWith);
      if (!other) problems.push(`${step.table}: colocate_with ${step.colocateWith}, which is not distributed before it`);
      else if (columnOf(step.colocateWith, other.column)?.type !== column.type)
        problems.push(`${step.table}: co-located with ${step.colocateWith} on a column of another type`);
      else group = other.group;
    }
    distributed.set(step.table, { column: step.column, group });
  });

  for (const [table, { column }] of distributed) {
    for (const index of catalog.uniqueIndexes.filter((i) => i.table === table)) {
      if (!index.columns.includes(column))
        problems.push(`${table}: unique index ${index.name} (${index.columns.join(", ")}) does not contain the distribution column ${column}`);
    }
    for (const c of catalog.columns.filter((c) => c.table === table && c.identity && c.type !== "bigint")) {
      problems.push(`${table}.${c.column}: an identity column of a distributed table must be bigint, not ${c.type}`);
    }
  }

  for (const fk of catalog.foreignKeys) {
    const from = distributed.get(fk.table);
    const to = distributed.get(fk.refTable);
    const where = `${fk.table} → ${fk.refTable} (${fk.name})`;
    if (from) {
      if (to) {
        const at = fk.columns.indexOf(from.column);
        if (to.group !== from.group) problems.push(`${where}: between distributed tables that are not co-located`);
        else if (at < 0 || fk.refColumns[at] !== to.column) problems.push(`${where}: must pair the two distribution columns`);
      } else if (!reference.has(fk.refTable)) {
        problems.push(`${where}: a distributed table may reference only reference tables and co-located distributed tables`);
      }
      if (fk.columns.includes(from.column)) {
        if (fk.onDelete === SET_NULL || fk.onDelete === SET_DEFAULT) problems.push(`${where}: ON DELETE SET NULL or SET DEFAULT over the distribution column`);
        if ([SET_NULL, SET_DEFAULT, CASCADE].includes(fk.onUpdate))
          problems.push(`${where}: ON UPDATE SET NULL, SET DEFAULT or CASCADE over the distribution column`);
      }
    } else if (to) {
      problems.push(`${where}: only a co-located distributed table may reference a distributed table`);
    } else if (reference.has(fk.table) && !reference.has(fk.refTable)) {
      problems.push(`${where}: a reference table may reference only reference tables`);
    }
  }
  return problems;
}

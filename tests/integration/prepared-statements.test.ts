import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openPool } from "../../server/db/client";

const onPglite = inject("database").kind === "pglite";

// A pool built as the app's is, of one connection, so the statements it prepares are this session's.
const pool = openPool(process.env.DATABASE_URL!, { size: 1, statementTimeoutMs: 0 });
afterAll(() => pool.sql.end());

/** The statements prepared in the session whose text contains `marker`. */
async function preparedWith(marker: string): Promise<number> {
  const rows = await pool.sql<{ n: number }[]>`select count(*)::int as n from pg_prepared_statements where statement like ${"%" + marker + "%"}`;
  return rows[0]!.n;
}

describe("the app's pool", () => {
  it("prepares a statement from its third execution, in transactions and savepoints too", async () => {
    const select = (marker: string, value: number) => sql`select ${value}::int + 1 as ${sql.identifier(marker)}`;
    for (let i = 0; i < 2; i++) await pool.db.execute(select("at_top", i));
    expect(await preparedWith("at_top")).toBe(0);
    await pool.db.execute(select("at_top", 2));
    expect(await preparedWith("at_top")).toBe(1);

    const answers = await pool.db.transaction(async (tx) => {
      const inTransaction = [];
      for (let i = 0; i < 3; i++) inTransaction.push(await tx.execute(select("in_transaction", i)));
      await tx.transaction(async (savepoint) => {
        for (let i = 0; i < 3; i++) await savepoint.execute(select("in_savepoint", i));
      });
      return inTransaction;
    });
    expect(answers.map((rows) => Object.values(rows[0]!)[0])).toEqual([1, 2, 3]);
    expect(await preparedWith("in_transaction")).toBe(1);
    expect(await preparedWith("in_savepoint")).toBe(1);
  });

  it("plans each execution for its own values", async () => {
    const [shown] = (await pool.db.execute(sql`show plan_cache_mode`)) as unknown as { plan_cache_mode: string }[];
    // PGlite ignores connection parameters; the embedded server sets it in its configuration.
    expect(shown!.plan_cache_mode).toBe(onPglite ? "auto" : "force_custom_plan");
  });
});

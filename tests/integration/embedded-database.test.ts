import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { openEmbeddedDatabase } from "../../server/db/embedded";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "cairn-embedded-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("embedded database", () => {
  it("serves concurrent connections without mixing their statements or transactions", async () => {
    const db = await openEmbeddedDatabase({ dataDir, port: 0, borrow: false });
    const sql = postgres(db.url, { max: 8, onnotice: () => {} });
    try {
      await sql`create table counters (id int primary key, n int not null)`;
      await sql`insert into counters values (1, 0)`;
      // Unnamed statements (as Drizzle sends them) with different parameter counts, on many
      // connections at once: interleaved Parse/Bind would fail with "bind message supplies N parameters".
      const unnamed = (text: string, params: number[]) => sql.unsafe(text, params, { prepare: false });
      const reads = Array.from({ length: 200 }, (_, i) =>
        i % 3 === 0
          ? unnamed("select $1::int as a", [i]).then((r) => r[0]!.a === i)
          : i % 3 === 1
            ? unnamed("select $1::int + $2::int as a", [i, 1]).then((r) => r[0]!.a === i + 1)
            : unnamed("select $1::int + $2::int + $3::int as a", [i, 1, 2]).then((r) => r[0]!.a === i + 3),
      );
      const writes = Array.from({ length: 20 }, () =>
        sql.begin(async (tx) => {
          const [row] = await tx`select n from counters where id = 1`;
          await tx`update counters set n = ${row!.n + 1} where id = 1`;
        }),
      );
      const failing = sql
        .begin(async (tx) => {
          await tx`update counters set n = n + 1000 where id = 1`;
          throw new Error("rolled back");
        })
        .catch((error: Error) => error.message);
      const results = await Promise.all(reads);
      await Promise.all(writes);
      expect(await failing).toBe("rolled back");
      expect(results.every(Boolean)).toBe(true);
      expect((await sql`select n from counters where id = 1`)[0]!.n).toBe(20);
    } finally {
      await sql.end();
      await db.close();
    }
  });

  it("lets one process own the folder: a second opener borrows its socket or is refused", async () => {
    const owner = await openEmbeddedDatabase({ dataDir, port: 0, borrow: false });
    try {
      await expect(openEmbeddedDatabase({ dataDir, port: 0, borrow: false })).rejects.toThrow(/in use by process/);
      const borrower = await openEmbeddedDatabase({ dataDir, port: 0, borrow: true });
      expect(borrower.borrowed).toBe(true);
      expect(borrower.url).toBe(owner.url);
      const sql = postgres(borrower.url, { max: 1, onnotice: () => {} });
      expect((await sql`select n from counters where id = 1`)[0]!.n).toBe(20);
      await sql.end();
    } finally {
      await owner.close();
    }
  });

  it("keeps data across restarts", async () => {
    const reopened = await openEmbeddedDatabase({ dataDir, port: 0, borrow: false });
    const sql = postgres(reopened.url, { max: 1, onnotice: () => {} });
    expect((await sql`select n from counters where id = 1`)[0]!.n).toBe(20);
    await sql.end();
    await reopened.close();
  });
});

import { LRUCache } from "lru-cache";
import type postgres from "postgres";

/**
 * PostgreSQL keeps a prepared statement's parse tree (tens of KB) for its connection's life, and
 * postgres.js never closes one: this bounds the statements each connection may hold.
 */
const MAX_PREPARED = 100;
/** Executions of a statement text before it is prepared: the hot ones are, one-off texts never. */
const PREPARE_AFTER = 3;

/**
 * Chooses the statements worth preparing. Drizzle asks postgres.js to prepare only statements it
 * was given a name for, and postgres.js describes every other statement that has parameters before
 * binding it: two round trips a statement instead of one. Frequent statements (a token's lookup,
 * the points insert, the promotion recheck) are prepared once per connection instead, up to
 * MAX_PREPARED distinct texts a process.
 */
export class StatementChooser {
  private readonly prepared = new Set<string>();
  private readonly seen = new LRUCache<string, number>({ max: 10_000 });

  admits(text: string): boolean {
    if (this.prepared.has(text)) return true;
    if (this.prepared.size >= MAX_PREPARED) return false;
    const executions = (this.seen.get(text) ?? 0) + 1;
    if (executions < PREPARE_AFTER) {
      this.seen.set(text, executions);
      return false;
    }
    this.seen.delete(text);
    this.prepared.add(text);
    return true;
  }
}

type Unsafe = (text: string, args?: unknown, options?: postgres.UnsafeQueryOptions) => unknown;
type Scoped = (...args: unknown[]) => unknown;
type Client = { unsafe: Unsafe; begin?: Scoped; savepoint?: Scoped };

/**
 * Makes `sql` (a pool, or the client of a transaction or savepoint) prepare the statements the
 * chooser admits, and the clients of the transactions and savepoints it opens likewise.
 */
export function preparing<T>(sql: T, chooser: StatementChooser): T {
  const client = sql as unknown as Client;
  const unsafe = client.unsafe;
  client.unsafe = (text, args, options) =>
    Array.isArray(args) && args.length && chooser.admits(text) ? unsafe(text, args, { ...options, prepare: true }) : unsafe(text, args, options);
  for (const name of ["begin", "savepoint"] as const) {
    const open = client[name];
    // Both take an optional leading argument (options, a savepoint's name) before the callback.
    if (open)
      client[name] = (...args: unknown[]) => {
        const fn = args.pop() as (scoped: unknown) => unknown;
        return open(...args, (scoped: unknown) => fn(preparing(scoped, chooser)));
      };
  }
  return sql;
}

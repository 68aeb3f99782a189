import { createServer, type Server } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";

type Pending = {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
};

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const TERMINATE = 0x58; // 'X'
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/**
 * Schedules the messages of many client connections onto PGlite's single session.
 *
 * pglite-socket's own queue interleaves connections between any two messages, so another
 * connection's Parse can replace the unnamed statement between this one's Parse and Bind ("bind
 * message supplies 1 parameters, but prepared statement requires 3"). Here a connection keeps
 * the session from its first message until the server reports ReadyForQuery with status idle:
 * the end of a simple query, an extended-protocol batch, a COPY, or a whole transaction.
 */
class SessionScheduler {
  private queue: Pending[] = [];
  private owner: number | null = null;
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength() {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number) {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("connection closed"));
      return false;
    });
  }

  /** A connection went away while holding the session: end its batch or transaction. */
  async clearTransactionIfNeeded(handlerId: number) {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRaw(SYNC);
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    });
    this.owner = null;
    void this.drain();
  }

  private next(): Pending | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async drain() {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const tail: number[] = [];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item!.message, {
              onRawData: (data) => {
                bytes += data.length;
                for (const b of data.subarray(Math.max(0, data.length - 6))) tail.push(b);
                tail.splice(0, Math.max(0, tail.length - 6));
                item!.onData(data);
              },
            }),
          );
          this.owner = sessionFreed(item.message, tail) ? null : item.handlerId;
          item.resolve(bytes);
        } catch (error) {
          this.owner = null;
          item.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** True when the reply ends with ReadyForQuery(idle), or the client said goodbye. */
function sessionFreed(message: Uint8Array, tail: number[]): boolean {
  if (message[0] === TERMINATE) return true;
  const n = tail.length;
  return n === 6 && tail[0] === READY_FOR_QUERY && tail[5] === IDLE;
}

export type PGliteServer = { port: number; stop(): Promise<void> };

/** Serves a PGlite database to ordinary PostgreSQL clients on a loopback TCP port. */
export async function servePGlite(db: PGlite, options: { host: string; port: number }): Promise<PGliteServer> {
  await db.waitReady;
  const scheduler = new SessionScheduler(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server: Server = createServer((socket) => {
    const handler = new PGLiteSocketHandler({
      queryQueue: scheduler as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    void handler.attach(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    async stop() {
      for (const handler of handlers) await handler.detach(true);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

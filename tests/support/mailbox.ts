import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { smtpCapture } from "./smtp-capture";

export type Mailbox = { smtpUrl: string; url: string; close(): Promise<void> };

/**
 * An SMTP capture whose messages a process outside this one can read: `GET <url>` answers every
 * message received so far as JSON. The MLflow tier's Python tests use it to see Cairn's e-mails.
 */
export async function startMailbox(): Promise<Mailbox> {
  const capture = smtpCapture();
  const smtpUrl = await capture.listen();
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(capture.received));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    smtpUrl,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await capture.close();
    },
  };
}

import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { decodeMessage, type ReceivedMail } from "./mail-message";

export type SmtpCapture = {
  /** Every message accepted, in arrival order (the same array for the capture's whole life). */
  received: ReceivedMail[];
  /** Recipients whose next delivery is refused with a temporary error, once each. */
  refuseOnce: Set<string>;
  /** Recipients always refused with a temporary error. */
  refuseAlways: Set<string>;
  /** Each refused recipient, once per refusal. */
  refused: string[];
  /** Starts listening on a free loopback port; resolves to the `smtp://` URL to give Cairn. */
  listen(): Promise<string>;
  close(): Promise<void>;
};

/**
 * A real SMTP server on loopback that keeps what it receives, so tests see e-mails exactly as
 * Cairn's mailer sends them (plain SMTP, no TLS, no authentication). Created before it listens, so
 * a test module can hold its arrays from the top while the port is chosen in `beforeAll`.
 */
export function smtpCapture(): SmtpCapture {
  const received: ReceivedMail[] = [];
  const refuseOnce = new Set<string>();
  const refuseAlways = new Set<string>();
  const refused: string[] = [];

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (refuseAlways.has(to) || refuseOnce.delete(to)) {
        refused.push(to);
        return callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          ...decodeMessage(Buffer.concat(chunks).toString("utf8")),
        });
        callback();
      });
    },
  });

  return {
    received,
    refuseOnce,
    refuseAlways,
    refused,
    async listen() {
      server.listen(0, "127.0.0.1");
      await once(server.server, "listening");
      return `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

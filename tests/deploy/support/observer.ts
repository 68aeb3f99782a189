/**
 * What a deployed Cairn sends out, seen from outside, on loopback: e-mails (an SMTP server), webhook
 * deliveries (`POST /hook`), and Cairn's memory while a test asks for it. The deployment tier
 * (scripts/deploy-tests.ts) runs it; the browser journeys and the MLflow tests, in processes of
 * their own, read it over HTTP with the client functions below.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { treeRss } from "../../support/harness";
import type { ReceivedMail } from "../../support/mail-message";
import { smtpCapture } from "../../support/smtp-capture";

export type ReceivedHook = { event: string; signature: string; payload: Record<string, unknown> };
/** Resident memory of Cairn's whole process tree between `/memory/start` and `/memory/stop`. */
export type MemoryReport = { baselineBytes: number; peakBytes: number; samples: number };

const SAMPLE_EVERY_MS = 150;

export type Observer = {
  /** Where the observer answers, `http://127.0.0.1:<port>`; webhooks go to `<url>/hook`. */
  url: string;
  smtpUrl: string;
  /** Samples the memory of `pid` and its descendants when a test asks. */
  watchMemory(pid: number): void;
  /** Every memory report handed out, for the tier's summary. */
  memoryReports: MemoryReport[];
  close(): Promise<void>;
};

export async function startObserver(): Promise<Observer> {
  const hooks: ReceivedHook[] = [];
  const memoryReports: MemoryReport[] = [];
  let watched: number | undefined;
  let sampling: { report: MemoryReport; timer: NodeJS.Timeout } | undefined;

  const smtp = smtpCapture();
  const mails = smtp.received;
  const smtpUrl = await smtp.listen();

  function sample() {
    if (!sampling || watched === undefined) return;
    sampling.report.peakBytes = Math.max(sampling.report.peakBytes, treeRss(watched));
    sampling.report.samples++;
  }

  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const route = `${req.method} ${new URL(req.url ?? "/", "http://observer").pathname}`;
      if (route === "POST /hook") {
        hooks.push({
          event: String(req.headers["x-cairn-event"] ?? ""),
          signature: String(req.headers["x-cairn-signature"] ?? ""),
          payload: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
        });
        return reply(200, { ok: true });
      }
      if (route === "GET /mails") return reply(200, mails);
      if (route === "GET /hooks") return reply(200, hooks);
      if (route === "POST /memory/start") {
        if (watched === undefined) return reply(409, { error: "no process to watch" });
        if (sampling) clearInterval(sampling.timer);
        const baseline = treeRss(watched);
        sampling = { report: { baselineBytes: baseline, peakBytes: baseline, samples: 1 }, timer: setInterval(sample, SAMPLE_EVERY_MS) };
        return reply(200, sampling.report);
      }
      if (route === "POST /memory/stop") {
        if (!sampling) return reply(409, { error: "memory sampling was not started" });
        sample();
        clearInterval(sampling.timer);
        const { report } = sampling;
        sampling = undefined;
        memoryReports.push(report);
        return reply(200, report);
      }
      reply(404, { error: `no route ${route}` });
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    smtpUrl,
    watchMemory(pid) {
      watched = pid;
    },
    memoryReports,
    async close() {
      if (sampling) clearInterval(sampling.timer);
      server.closeAllConnections();
      await Promise.all([new Promise((resolve) => server.close(resolve)), smtp.close()]);
    },
  };
}

async function observed<T>(observerUrl: string, what: "mails" | "hooks"): Promise<T[]> {
  const response = await fetch(`${observerUrl}/${what}`);
  if (!response.ok) throw new Error(`observer: GET /${what} answered ${response.status}`);
  return (await response.json()) as T[];
}

/** Waits until something observed matches, and returns it. */
export async function waitFor<T>(observerUrl: string, what: "mails" | "hooks", match: (item: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await observed<T>(observerUrl, what)).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`observer: nothing matching arrived in /${what} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The first e-mail to `address` whose subject matches. */
export function waitForMail(observerUrl: string, address: string, subject: RegExp): Promise<ReceivedMail> {
  return waitFor<ReceivedMail>(observerUrl, "mails", (m) => m.to.includes(address.toLowerCase()) && subject.test(m.subject));
}

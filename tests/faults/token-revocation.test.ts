import { beforeAll, describe, expect, inject, it } from "vitest";
import { sleep } from "./support/cairn";
import { metricHistory, mlflowClient, signIn, trpcClient, type MlflowClient } from "./support/http";

/**
 * A token revoked while scripts are streaming with it: its owner revokes it in the browser
 * (`token.revoke` with a real session) while several clients keep sending log-batches. Everything
 * acknowledged before is stored; every request sent after the revocation has committed is refused
 * with 401 and leaves nothing behind; nothing in between is half-stored or a 5xx.
 */

const shared = inject("sharedServer");
let owner: MlflowClient;
let experimentId: string;

type Attempt = { client: number; seq: number; sentAt: number; answeredAt: number; status: number; errorCode?: string; message?: string };

const POINTS_PER_BATCH = 20;

beforeAll(async () => {
  owner = mlflowClient(shared.base, shared.slug, shared.owner.token);
  experimentId = (await owner.ok("experiments/create", { name: `revocation-${Date.now()}` })).experiment_id;
});

describe("a token revoked mid-stream", () => {
  it("stores every acknowledged batch and refuses, without storing, everything sent after the revocation", async () => {
    const { cookies, signedIn } = await signIn(shared.base, shared.owner.email, shared.owner.password);
    expect(signedIn).toBe(true);
    const browser = trpcClient(shared.base, { cookies });
    const { secret, token } = await browser.mutate("token.create", { name: `stream-${Date.now()}`, expiresInDays: 1, projectSlug: shared.slug });
    const streaming = mlflowClient(shared.base, shared.slug, secret);

    const clients = 3;
    const runIds: string[] = [];
    for (let c = 0; c < clients; c++) runIds.push((await owner.ok("runs/create", { experiment_id: experimentId, run_name: `stream-${c}` })).run.info.run_id);

    const attempts: Attempt[] = [];
    let revokedAt = Number.POSITIVE_INFINITY;
    const deadline = Date.now() + 30_000;
    const loop = async (c: number) => {
      for (let seq = 0; Date.now() < deadline; seq++) {
        const sentAt = performance.now();
        const reply = await streaming.post("runs/log-batch", {
          run_id: runIds[c],
          metrics: Array.from({ length: POINTS_PER_BATCH }, (_, i) => ({
            key: "loss",
            value: seq + i / 100,
            timestamp: 1_000_000 + seq,
            step: seq * POINTS_PER_BATCH + i,
          })),
          params: [{ key: `batch.${seq}`, value: "sent" }],
        });
        attempts.push({
          client: c,
          seq,
          sentAt,
          answeredAt: performance.now(),
          status: reply.status,
          errorCode: reply.json?.error_code,
          message: reply.json?.message,
        });
        // Keep going until a few requests have been sent well after the revocation.
        if (attempts.filter((a) => a.client === c && a.sentAt > revokedAt).length >= 5) return;
      }
    };
    const streams = Array.from({ length: clients }, (_, c) => loop(c));

    while (attempts.filter((a) => a.status === 200).length < 15 && Date.now() < deadline) await sleep(10);
    await browser.mutate("token.revoke", { tokenId: token.id });
    revokedAt = performance.now();
    await Promise.all(streams);

    expect(
      attempts.filter((a) => a.status !== 200 && a.status !== 401),
      "only 200 and 401 answers",
    ).toEqual([]);
    const after = attempts.filter((a) => a.sentAt > revokedAt);
    expect(after.length).toBeGreaterThanOrEqual(clients * 5);
    for (const a of after) expect(a).toMatchObject({ status: 401, errorCode: "UNAUTHENTICATED", message: expect.stringMatching(/revoked/) });
    const acknowledged = attempts.filter((a) => a.status === 200);
    expect(acknowledged.length).toBeGreaterThanOrEqual(15);
    // Once refused, a client is never accepted again.
    for (let c = 0; c < clients; c++) {
      const mine = attempts.filter((a) => a.client === c).sort((x, y) => x.seq - y.seq);
      const firstRefusal = mine.findIndex((a) => a.status === 401);
      expect(mine.slice(firstRefusal).every((a) => a.status === 401)).toBe(true);
    }

    for (let c = 0; c < clients; c++) {
      const history = await metricHistory(owner, runIds[c]!, "loss");
      const run = (await owner.read("runs/get", { run_id: runIds[c] })).run;
      const params = new Set((run.data.params ?? []).map((p: { key: string }) => p.key));
      const stepsBySeq = new Map<number, number>();
      for (const p of history) stepsBySeq.set(Math.floor(p.step / POINTS_PER_BATCH), (stepsBySeq.get(Math.floor(p.step / POINTS_PER_BATCH)) ?? 0) + 1);
      for (const a of attempts.filter((x) => x.client === c)) {
        const stored = { points: stepsBySeq.get(a.seq) ?? 0, param: params.has(`batch.${a.seq}`) };
        expect(stored, `client ${c} batch ${a.seq} answered ${a.status}`).toEqual(
          a.status === 200 ? { points: POINTS_PER_BATCH, param: true } : { points: 0, param: false },
        );
      }
    }
  });

  it("refuses the revoked token at every door: tRPC, the artifact proxy, reads", async () => {
    const { cookies } = await signIn(shared.base, shared.owner.email, shared.owner.password);
    const browser = trpcClient(shared.base, { cookies });
    const { secret, token } = await browser.mutate("token.create", { name: `doors-${Date.now()}`, expiresInDays: 1 });
    const api = mlflowClient(shared.base, shared.slug, secret);
    const runId = (await api.ok("runs/create", { experiment_id: experimentId })).run.info.run_id;
    const run = (await api.read("runs/get", { run_id: runId })).run;
    const artifactPath = `${run.info.artifact_uri.replace(/^mlflow-artifacts:\//, "")}/after-revocation.txt`;
    expect((await api.putArtifact(artifactPath.replace(/after-revocation/, "before-revocation"), "ok")).status).toBe(200);

    await browser.mutate("token.revoke", { tokenId: token.id });

    expect((await api.get("runs/get", { run_id: runId })).status).toBe(401);
    const put = await api.putArtifact(artifactPath, "must not be stored");
    expect({ status: put.status, code: put.json?.error_code }).toEqual({ status: 401, code: "UNAUTHENTICATED" });
    expect((await owner.getArtifact(artifactPath)).status).toBe(404);
    const me = await trpcClient(shared.base, { token: secret }).queryRaw("account.me");
    expect(me.status).toBe(401);
    expect(me.text).toContain("revoked");
  });
});

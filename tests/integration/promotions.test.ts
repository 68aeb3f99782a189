import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { ActorUser } from "../../server/access/actor";
import { authorizeProject } from "../../server/access/authorize";
import { createServiceContext, inTransaction } from "../../server/context";
import { fieldErrorsOf, type DomainError } from "../../server/errors";
import { getDb } from "../../server/db/client";
import { auditEvents, notifications, promotionRequests, promotionReviews, registryEvents } from "../../server/db/schema";
import { handleMlflowApi } from "../../server/mlflow/handler";
import { getPromotionRequest } from "../../server/services/promotions/view";
import { createRegisteredModel } from "../../server/services/registry/models";
import { setAlias } from "../../server/services/registry/targets";
import { createModelVersion } from "../../server/services/registry/versions";
import { createExperiment } from "../../server/services/tracking/experiments";
import { logBatch } from "../../server/services/tracking/logging";
import { createRun, updateRun } from "../../server/services/tracking/runs";
import { addMember, callerFor, makeProject, makeUser, outcome, sessionOf, tokenActorOf, unique } from "../support/factories";

type Team = Awaited<ReturnType<typeof makeTeam>>;

/** A project with one person per role (two maintainers), a model with v1 as @champion and v2 a candidate. */
async function makeTeam(metrics: { v1: Record<string, number>; v2: Record<string, number> } = { v1: { val_mae: 0.3 }, v2: { val_mae: 0.2 } }) {
  const owner = await makeUser({ name: "Olive Owner" });
  const project = await makeProject(owner);
  const people: Record<string, ActorUser> = { owner };
  for (const [name, role] of [
    ["maintainer", "maintainer"],
    ["maintainer2", "maintainer"],
    ["contributor", "contributor"],
    ["viewer", "viewer"],
  ] as const) {
    people[name] = await makeUser({ name });
    await addMember(project.id, people[name]!, role);
  }
  const ctx = await authorizeProject(createServiceContext(sessionOf(owner)), project.slug, "project.read");
  const { experimentId } = await createExperiment({ ctx, input: { name: unique("exp") } });
  const model = unique("model");
  await createRegisteredModel({ ctx, input: { name: model } });
  const runIds: string[] = [];
  for (const key of ["v1", "v2"] as const) {
    const runId = (await createRun({ ctx, input: { experimentId } })).info.runId;
    await logBatch({ ctx, input: { runId, metrics: Object.entries(metrics[key]).map(([k, value]) => ({ key: k, value, timestamp: 1, step: 0 })) } });
    await updateRun({ ctx, input: { runId, status: "FINISHED", endTime: 2 } });
    await createModelVersion({ ctx, input: { name: model, source: `runs:/${runId}/model`, runId } });
    runIds.push(runId);
  }
  await setAlias({ ctx, input: { name: model, alias: "champion", version: 1 } });
  const api = (who: keyof typeof people) => callerFor(sessionOf(people[who]!));
  return { project, slug: project.slug, ctx, people, model, runIds, api };
}

const champion = { kind: "alias", name: "champion" } as const;

async function protect(team: Team, rule: Record<string, unknown> = {}) {
  return team.api("maintainer").promotion.saveRule({ projectSlug: team.slug, target: champion, ...rule });
}

async function request(team: Team, who = "contributor", version = 2) {
  return team
    .api(who)
    .promotion.request({ projectSlug: team.slug, modelName: team.model, version, target: champion, justification: "Lower error on the holdout." });
}

const championVersion = async (team: Team) =>
  (await team.api("viewer").registry.model({ projectSlug: team.slug, name: team.model })).aliases.find((a) => a.alias === "champion")?.version;
const eventsOf = (team: Team, kind: string) =>
  getDb()
    .select()
    .from(registryEvents)
    .where(and(eq(registryEvents.projectId, team.project.id), eq(registryEvents.kind, kind)));

describe("promotion rules", () => {
  it("are saved with a new revision on each change, and only by those who may", async () => {
    const team = await makeTeam();
    const first = await protect(team, { requiredApprovals: 2 });
    expect(first.revision).toBe(1);
    const second = await protect(team, { requiredApprovals: 1, gates: [{ type: "metric_threshold", metric: "val_mae", comparison: "lt", value: 0.5 }] });
    expect(second.id).toBe(first.id);
    expect(second.revision).toBe(2);
    const revisions = await team.api("viewer").promotion.ruleRevisions({ projectSlug: team.slug, ruleId: first.id });
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(await outcome(() => team.api("contributor").promotion.saveRule({ projectSlug: team.slug, target: champion }))).toBe("FORBIDDEN");
    await expect(team.api("maintainer").promotion.saveRule({ projectSlug: team.slug, target: { kind: "alias", name: "latest" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      team.api("maintainer").promotion.saveRule({
        projectSlug: team.slug,
        target: champion,
        gates: [{ type: "metric_threshold", metric: "a", comparison: "lt", value: Number.NaN }],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("promotion requests", () => {
  it("apply once the required approvals are in: the alias moves, the old holder is released, everything is recorded", async () => {
    const team = await makeTeam();
    await protect(team, { requiredApprovals: 2 });
    const opened = await request(team);
    expect((await request(team)).id).toBe(opened.id);

    const first = await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve", comment: "Looks good" });
    expect(first).toMatchObject({ status: "open", approvals: 1, required: 2 });
    expect(await championVersion(team)).toBe("1");
    expect(await team.api("maintainer2").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" })).toEqual({
      status: "applied",
    });
    expect(await championVersion(team)).toBe("2");

    const [applied] = await eventsOf(team, "promotion.applied");
    expect(applied).toMatchObject({ target: "champion", fromVersion: 1, toVersion: 2 });
    expect((applied!.details as { approvers: string[] }).approvers.sort()).toEqual([team.people.maintainer!.email, team.people.maintainer2!.email].sort());
    const audit = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.projectId, team.project.id), eq(auditEvents.action, "promotion.apply")));
    expect(audit).toHaveLength(1);
    const view = await team.api("viewer").promotion.get({ projectSlug: team.slug, number: opened.number });
    expect(view.request.status).toBe("applied");
    expect(view.viewer.canReview).toBe(false);
    expect(await outcome(() => team.api("owner").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" }))).toBe("CONFLICT");
  });

  it("refuse self-approval unless the rule allows it, and reviewers the rule does not name", async () => {
    const team = await makeTeam();
    await protect(team);
    const opened = await request(team, "maintainer");
    expect(await outcome(() => team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcome(() => team.api("contributor").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcome(() => team.api("viewer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" }))).toBe("FORBIDDEN");
    const { actor: token } = await tokenActorOf(team.people.maintainer2!);
    expect(await outcome(() => callerFor(token).promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" }))).toBe("FORBIDDEN");

    await protect(team, { allowSelfApproval: true, approverRoles: [], approverUserIds: [team.people.maintainer!.id, team.people.maintainer2!.id] });
    expect(await outcome(() => team.api("owner").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" }))).toBe("FORBIDDEN");
    expect(await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" })).toEqual({
      status: "applied",
    });
  });

  it("narrow reviewers to roles or named members who hold promotion.review, refusing any other rule", async () => {
    const team = await makeTeam();
    await protect(team, { approverRoles: ["owner"], approverUserIds: [team.people.maintainer2!.id] });
    const opened = await request(team, "contributor");
    expect(await outcome(() => team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" }))).toBe(
      "FORBIDDEN",
    );

    // The permission table is the ceiling: no rule names a role or a person without promotion.review.
    const refusal = (rule: Record<string, unknown>) =>
      team
        .api("maintainer")
        .promotion.saveRule({ projectSlug: team.slug, target: champion, ...rule })
        .then(
          () => null,
          (error: { code: string; cause: unknown }) => ({
            code: error.code,
            fields: error.cause instanceof ZodError ? fieldErrorsOf(error.cause) : (error.cause as DomainError).fields,
          }),
        );
    expect(await refusal({ approverRoles: ["maintainer", "viewer"] })).toEqual({
      code: "BAD_REQUEST",
      fields: { approverRoles: "Only roles that may review promotions can approve: owner, maintainer" },
    });
    expect(await refusal({ approverUserIds: [team.people.contributor!.id] })).toMatchObject({
      code: "BAD_REQUEST",
      fields: { approverUserIds: "contributor is a contributor, and that role cannot review promotions: name members who are owner or maintainer" },
    });
    const outsider = await makeUser();
    expect(await refusal({ approverUserIds: [outsider.id] })).toMatchObject({
      code: "BAD_REQUEST",
      fields: { approverUserIds: `User ${outsider.id} is not a member of this project: only members can approve` },
    });
    expect((await team.api("viewer").promotion.rules({ projectSlug: team.slug }))[0]!.rule.revision).toBe(1);

    expect(await team.api("maintainer2").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" })).toEqual({
      status: "applied",
    });
  });

  it("count an approval only while its author may still approve, when each decision is taken", async () => {
    const team = await makeTeam();
    await protect(team, { requiredApprovals: 2 });
    const review = (who: string, number: number) => team.api(who).promotion.review({ projectSlug: team.slug, number, decision: "approve" });

    // Removed from the project after approving.
    const first = await request(team);
    expect(await review("maintainer", first.number)).toMatchObject({ status: "open", approvals: 1 });
    await team.api("owner").member.remove({ projectSlug: team.slug, userId: team.people.maintainer!.id });
    expect(await review("owner", first.number)).toMatchObject({ status: "open", approvals: 1, required: 2 });
    expect(await championVersion(team)).toBe("1");
    expect((await team.api("viewer").promotion.get({ projectSlug: team.slug, number: first.number })).approvals).toBe(1);
    expect(await review("maintainer2", first.number)).toEqual({ status: "applied" });
    expect(await championVersion(team)).toBe("2");
    const [applied] = await eventsOf(team, "promotion.applied");
    expect((applied!.details as { approvers: string[] }).approvers.sort()).toEqual([team.people.owner!.email, team.people.maintainer2!.email].sort());

    // Demoted below the role the rule asks for after approving (and a request for changes from them stops blocking).
    const second = await request(team, "contributor", 1);
    expect(await team.api("maintainer2").promotion.review({ projectSlug: team.slug, number: second.number, decision: "request_changes" })).toEqual({
      status: "changes_requested",
    });
    await team.api("owner").member.changeRole({ projectSlug: team.slug, userId: team.people.maintainer2!.id, role: "contributor" });
    expect((await team.api("viewer").promotion.list({ projectSlug: team.slug }))[0]).toMatchObject({ number: second.number, approvals: 0 });
    expect(await review("owner", second.number)).toMatchObject({ status: "open", approvals: 1, required: 2 });
    expect(await championVersion(team)).toBe("2");
  });

  it("are neither reviewed nor applied while the project is archived", async () => {
    const team = await makeTeam();
    await protect(team);
    const opened = await request(team);
    await team.api("owner").project.setArchived({ projectSlug: team.slug, archived: true });
    expect(await outcome(() => team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" }))).toBe(
      "FORBIDDEN",
    );
    expect(await outcome(() => team.api("owner").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "reject" }))).toBe("FORBIDDEN");
    expect(await outcome(() => team.api("owner").promotion.rollback({ projectSlug: team.slug, modelName: team.model, target: champion }))).toBe("FORBIDDEN");
    const view = await team.api("maintainer").promotion.get({ projectSlug: team.slug, number: opened.number });
    expect(view.viewer).toMatchObject({ canReview: false, refusal: "The project is archived; unarchive it to review promotions" });
    expect(view.reviews).toEqual([]);
    expect(await championVersion(team)).toBe("1");

    await team.api("owner").project.setArchived({ projectSlug: team.slug, archived: false });
    expect(await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" })).toEqual({
      status: "applied",
    });
  });

  it("are held by a failing gate, and go stale when the evidence changes", async () => {
    const team = await makeTeam({ v1: { val_mae: 0.2 }, v2: { val_mae: 0.25 } });
    await protect(team, {
      gates: [
        { type: "metric_vs_holder", metric: "val_mae", comparison: "lt" },
        { type: "run_status", status: "FINISHED" },
      ],
    });
    const opened = await request(team);
    const view = await team.api("viewer").promotion.get({ projectSlug: team.slug, number: opened.number });
    expect(view.gates.map((g) => g.passed)).toEqual([false, true]);
    expect(view.request).toMatchObject({ open: true, stale: false, staleReason: null });
    expect(view.blockers).toEqual([
      { kind: "approvals", missing: 1 },
      { kind: "gates", failing: 1 },
    ]);
    expect(view.gates[0]).toMatchObject({ actual: "0.25", expected: "val_mae < 0.2 (version 1)" });
    expect(view.comparison.metrics).toEqual([{ key: "val_mae", candidate: 0.25, holder: 0.2, delta: 0.25 - 0.2 }]);

    expect(await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" })).toMatchObject({
      status: "open",
      gatesPass: false,
    });
    expect(await championVersion(team)).toBe("1");

    // New evidence: the candidate's run improves. The approval is dismissed and the gates re-run.
    await logBatch({ ctx: team.ctx, input: { runId: team.runIds[1]!, metrics: [{ key: "val_mae", value: 0.15, timestamp: 5, step: 1 }] } });
    const stale = await team.api("viewer").promotion.get({ projectSlug: team.slug, number: opened.number });
    expect(stale.request).toMatchObject({ stale: true, open: true, staleReason: { reason: "the candidate's evidence changed", dismissedApprovals: 1 } });
    expect(stale.approvals).toBe(0);
    expect(stale.standing).toEqual([]);
    expect(stale.blockers).toEqual([{ kind: "approvals", missing: 1 }]);
    expect(stale.reviews[0]).toMatchObject({ decision: "approve", dismissed: true });
    expect(stale.gates.every((g) => g.passed)).toBe(true);
    expect(await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" })).toEqual({
      status: "applied",
    });
    expect(await championVersion(team)).toBe("2");
    expect(await eventsOf(team, "promotion.stale")).toHaveLength(1);
  });

  it("go stale when another version takes the target, losing their approvals", async () => {
    const team = await makeTeam();
    await protect(team, { requiredApprovals: 2 });
    await createModelVersion({ ctx: team.ctx, input: { name: team.model, source: `runs:/${team.runIds[1]}/model` } });
    const forV3 = await request(team, "contributor", 3);
    await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: forV3.number, decision: "approve" });
    const forV2 = await request(team, "contributor", 2);
    await team.api("maintainer2").promotion.review({ projectSlug: team.slug, number: forV2.number, decision: "approve" });
    expect(await team.api("owner").promotion.review({ projectSlug: team.slug, number: forV2.number, decision: "approve" })).toEqual({ status: "applied" });

    const view = await team.api("viewer").promotion.get({ projectSlug: team.slug, number: forV3.number });
    expect(view.request).toMatchObject({ status: "open", stale: true, staleReason: { reason: "version 2 took the target", dismissedApprovals: 1 } });
    expect(view.approvals).toBe(0);
    expect(view.holder?.version.version).toBe("2");
    expect(view.reviews).toEqual([expect.objectContaining({ reviewer: "maintainer", decision: "approve", dismissed: true })]);
  });

  it("are judged again where the holder's numbers or the rule's gates change, not when their page is read", async () => {
    const team = await makeTeam();
    const gate = { type: "metric_vs_holder", metric: "val_mae", comparison: "lt" } as const;
    const rule = await protect(team, { gates: [gate] });
    const opened = await request(team);
    const verdicts = async () =>
      (await getDb().select({ gates: promotionRequests.gateResults }).from(promotionRequests).where(eq(promotionRequests.id, opened.id)))[0]!.gates.map(
        (g) => g.passed,
      );
    expect(await verdicts()).toEqual([true]);

    // The holder's run (v1) logs a better number than the candidate's: the gate fails at once, and approvals still stand.
    await logBatch({ ctx: team.ctx, input: { runId: team.runIds[0]!, metrics: [{ key: "val_mae", value: 0.1, timestamp: 5, step: 1 }] } });
    expect(await verdicts()).toEqual([false]);
    await protect(team, { gates: [gate, { type: "metric_threshold", metric: "val_mae", comparison: "lt", value: 0.25 }] });
    expect(await verdicts()).toEqual([false, true]);
    await team.api("maintainer").promotion.deleteRule({ projectSlug: team.slug, ruleId: rule.id });
    expect(await verdicts()).toEqual([]);
    expect((await getDb().select().from(promotionRequests).where(eq(promotionRequests.id, opened.id)))[0]!.stale).toBe(false);
  });

  it("are read by their page without a lock or a write, even inside a read-only transaction", async () => {
    const team = await makeTeam();
    await protect(team, { requiredApprovals: 2, gates: [{ type: "metric_vs_holder", metric: "val_mae", comparison: "lt" }] });
    const opened = await request(team);
    await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" });
    await logBatch({ ctx: team.ctx, input: { runId: team.runIds[0]!, metrics: [{ key: "val_mae", value: 0.1, timestamp: 5, step: 1 }] } });
    const project = team.project.id;
    const written = async () => ({
      request: (await getDb().select().from(promotionRequests).where(eq(promotionRequests.id, opened.id)))[0],
      reviews: await getDb().select().from(promotionReviews).where(eq(promotionReviews.requestId, opened.id)),
      timeline: (await getDb().select({ n: count() }).from(registryEvents).where(eq(registryEvents.projectId, project)))[0]!.n,
      audit: (await getDb().select({ n: count() }).from(auditEvents).where(eq(auditEvents.projectId, project)))[0]!.n,
      notifications: (await getDb().select({ n: count() }).from(notifications).where(eq(notifications.projectId, project)))[0]!.n,
    });
    const before = await written();

    const ctx = await authorizeProject(createServiceContext(sessionOf(team.people.viewer!)), team.slug, "project.read");
    const view = await inTransaction(ctx, async (tx) => {
      await tx.db.execute(sql`set transaction read only`);
      return getPromotionRequest({ ctx: tx, input: { number: opened.number } });
    });
    expect(view.request).toMatchObject({ open: true, stale: false, staleReason: null });
    expect(view.gates.map((g) => g.passed)).toEqual([false]);
    expect(view.standing).toEqual([{ reviewerId: team.people.maintainer!.id, reviewer: "maintainer", decision: "approve" }]);
    expect(view.blockers).toEqual([
      { kind: "approvals", missing: 1 },
      { kind: "gates", failing: 1 },
    ]);
    expect(await written()).toEqual(before);
  });

  it("produce exactly one transition when approvals race", async () => {
    const team = await makeTeam();
    await protect(team);
    const opened = await request(team);
    const results = await Promise.all(
      (["maintainer", "maintainer2", "owner"] as const).map((who) =>
        outcome(() => team.api(who).promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" })),
      ),
    );
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
    expect(results.filter((r) => r === "CONFLICT")).toHaveLength(2);
    expect(await eventsOf(team, "promotion.applied")).toHaveLength(1);
    expect(await eventsOf(team, "alias.set")).toHaveLength(2); // the initial @champion, and the promotion
    expect(await championVersion(team)).toBe("2");
  });

  it("close on rejection, and wait on a request for changes until that reviewer approves", async () => {
    const team = await makeTeam();
    await protect(team, { requiredApprovals: 1 });
    const first = await request(team);
    expect(
      await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: first.number, decision: "reject", comment: "Not on Friday" }),
    ).toEqual({ status: "rejected" });
    expect(await outcome(() => team.api("owner").promotion.review({ projectSlug: team.slug, number: first.number, decision: "approve" }))).toBe("CONFLICT");

    const second = await request(team);
    expect(second.number).toBe(first.number + 1);
    expect(
      await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: second.number, decision: "request_changes", comment: "Add calibration" }),
    ).toEqual({ status: "changes_requested" });
    expect(await team.api("owner").promotion.review({ projectSlug: team.slug, number: second.number, decision: "approve" })).toMatchObject({
      status: "changes_requested",
    });
    const held = await team.api("viewer").promotion.get({ projectSlug: team.slug, number: second.number });
    expect(held.request.open).toBe(true);
    expect(held.standing.map((d) => [d.reviewer, d.decision])).toEqual([
      ["Olive Owner", "approve"],
      ["maintainer", "request_changes"],
    ]);
    expect(held.blockers).toEqual([{ kind: "changes_requested", by: ["maintainer"] }]);
    await team.api("contributor").promotion.updateJustification({ projectSlug: team.slug, number: second.number, justification: "Calibrated." });
    expect(await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: second.number, decision: "approve" })).toEqual({
      status: "applied",
    });
  });

  it("notify eligible reviewers when opened, and nobody outside the project", async () => {
    const team = await makeTeam();
    await protect(team);
    const opened = await request(team);
    const rows = await getDb()
      .select()
      .from(notifications)
      .where(and(eq(notifications.projectId, team.project.id), eq(notifications.kind, "promotion.requested")));
    const ids = rows.map((r) => r.userId).sort();
    expect(ids).toEqual([team.people.owner!.id, team.people.maintainer!.id, team.people.maintainer2!.id].sort());
    expect(rows[0]!.url).toBe(`/p/${team.slug}/promotions/${opened.number}`);
  });

  // No API path takes a foreign rule id for a request (the access matrix covers those that take ids):
  // this pins the defence in depth, a row pointing across projects is never followed.
  it("never judge a request by another project's rule, even if its row points at one", async () => {
    const [team, other] = [await makeTeam(), await makeTeam()];
    await protect(team, { requiredApprovals: 2 });
    const foreignRule = await protect(other, { requiredApprovals: 1 });
    const opened = await request(team);
    await getDb().update(promotionRequests).set({ ruleId: foreignRule.id }).where(eq(promotionRequests.id, opened.id));
    expect(await outcome(() => team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" }))).toBe(
      "CONFLICT",
    );
    expect(await championVersion(team)).toBe("1");
    expect((await team.api("viewer").promotion.get({ projectSlug: team.slug, number: opened.number })).rule).toBeNull();
  });
});

describe("rollback", () => {
  it("applies at once when the rule allows emergency rollback, and otherwise needs review", async () => {
    const team = await makeTeam();
    await protect(team, { allowEmergencyRollback: true });
    const opened = await request(team);
    await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" });
    expect(await championVersion(team)).toBe("2");
    expect(await outcome(() => team.api("contributor").promotion.rollback({ projectSlug: team.slug, modelName: team.model, target: champion }))).toBe(
      "FORBIDDEN",
    );
    expect(await team.api("maintainer").promotion.rollback({ projectSlug: team.slug, modelName: team.model, target: champion })).toMatchObject({
      applied: true,
      from: 2,
      to: 1,
    });
    expect(await championVersion(team)).toBe("1");
    expect(await eventsOf(team, "promotion.rolled_back")).toHaveLength(1);

    await protect(team, { allowEmergencyRollback: false });
    const again = await request(team);
    await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: again.number, decision: "approve" });
    const pending = await team.api("maintainer").promotion.rollback({ projectSlug: team.slug, modelName: team.model, target: champion });
    expect(pending).toMatchObject({ applied: false, from: 2, to: 1 });
    expect(await championVersion(team)).toBe("2");
    expect(await team.api("owner").promotion.review({ projectSlug: team.slug, number: pending.request!, decision: "approve" })).toEqual({ status: "applied" });
    expect(await championVersion(team)).toBe("1");
  });

  it("moves an unprotected target back directly", async () => {
    const team = await makeTeam();
    await setAlias({ ctx: team.ctx, input: { name: team.model, alias: "champion", version: 2 } });
    await team.api("maintainer").promotion.rollback({ projectSlug: team.slug, modelName: team.model, target: champion });
    expect(await championVersion(team)).toBe("1");
  });
});

describe("every door refuses direct changes to protected targets", () => {
  async function mlflow(team: Team, method: string, path: string, body: unknown) {
    const { secret } = await tokenActorOf(team.people.contributor!);
    const response = await handleMlflowApi(
      new Request(`http://cairn.test/p/${team.slug}/api/2.0/mlflow/${path}`, {
        method,
        headers: { authorization: `Bearer ${secret}`, host: "cairn.test" },
        body: JSON.stringify(body),
      }),
      team.slug,
      path.split("/"),
    );
    return { status: response.status, json: (await response.json()) as { error_code?: string; message?: string } };
  }

  it("answers the MLflow client with PERMISSION_DENIED and the URL of a request it opens, once", async () => {
    const team = await makeTeam();
    await protect(team);
    const refused = await mlflow(team, "POST", "registered-models/alias", { name: team.model, alias: "champion", version: "2" });
    expect(refused.status).toBe(403);
    expect(refused.json.error_code).toBe("PERMISSION_DENIED");
    expect(refused.json.message).toMatch(new RegExp(`opened request #1 for version 2: http://cairn\\.test/p/${team.slug}/promotions/1`));
    const again = await mlflow(team, "POST", "registered-models/alias", { name: team.model, alias: "champion", version: "2" });
    expect(again.json.message).toContain("request #1");
    const [row] = await getDb().select().from(promotionRequests).where(eq(promotionRequests.projectId, team.project.id));
    expect(row).toMatchObject({ requestedVia: "mlflow", status: "open" });
    expect(await championVersion(team)).toBe("1");
    expect((await mlflow(team, "DELETE", "registered-models/alias", { name: team.model, alias: "champion" })).status).toBe(403);
    expect((await mlflow(team, "POST", "registered-models/alias", { name: team.model, alias: "challenger", version: "2" })).status).toBe(200);
  });

  it("protects stages (archiving the previous holder on apply) and version tags", async () => {
    const team = await makeTeam();
    await team.api("maintainer").promotion.saveRule({ projectSlug: team.slug, target: { kind: "stage", name: "production" } });
    await team.api("maintainer").promotion.saveRule({ projectSlug: team.slug, target: { kind: "tag", name: "deploy" } });
    const stage = await mlflow(team, "POST", "model-versions/transition-stage", {
      name: team.model,
      version: "1",
      stage: "Production",
      archive_existing_versions: false,
    });
    expect(stage).toMatchObject({ status: 403, json: { error_code: "PERMISSION_DENIED" } });
    await team.api("owner").promotion.review({ projectSlug: team.slug, number: 1, decision: "approve" });
    await team
      .api("contributor")
      .promotion.request({ projectSlug: team.slug, modelName: team.model, version: 2, target: { kind: "stage", name: "Production" } });
    await team.api("owner").promotion.review({ projectSlug: team.slug, number: 2, decision: "approve" });
    const detail = await team.api("viewer").registry.model({ projectSlug: team.slug, name: team.model });
    expect(detail.versions.map((v) => [v.version, v.stage])).toEqual([
      [2, "Production"],
      [1, "Archived"],
    ]);
    // Taking the version out of a protected stage directly is refused too.
    expect(await outcome(() => team.api("owner").registry.transitionStage({ projectSlug: team.slug, name: team.model, version: 2, stage: "Archived" }))).toBe(
      "FORBIDDEN",
    );

    const tag = await mlflow(team, "POST", "model-versions/set-tag", { name: team.model, version: "2", key: "deploy", value: "prod" });
    expect(tag.status).toBe(403);
    expect((await mlflow(team, "POST", "model-versions/set-tag", { name: team.model, version: "2", key: "notes", value: "fine" })).status).toBe(200);
  });
});

describe("the timeline", () => {
  it("tells what held a target at a moment, who approved it and why", async () => {
    const team = await makeTeam();
    await protect(team);
    const before = new Date();
    await new Promise((r) => setTimeout(r, 20));
    const opened = await request(team);
    await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" });
    const then = await team.api("viewer").registry.targetsAt({ projectSlug: team.slug, name: team.model, at: before });
    expect(then.targets).toEqual([expect.objectContaining({ kind: "alias", target: "champion", version: 1, request: null })]);
    const now = await team.api("viewer").registry.targetsAt({ projectSlug: team.slug, name: team.model, at: new Date() });
    expect(now.targets).toEqual([
      expect.objectContaining({
        kind: "alias",
        target: "champion",
        version: 2,
        request: opened.number,
        approvers: [team.people.maintainer!.email],
        justification: "Lower error on the holdout.",
      }),
    ]);
    const timeline = await team.api("viewer").registry.timeline({ projectSlug: team.slug, name: team.model });
    expect(timeline.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["promotion.requested", "promotion.approved", "promotion.applied", "alias.set", "version.registered", "model.created"]),
    );
  });
});

import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ActorUser } from "../../server/access/actor";
import { authorizeProject } from "../../server/access/authorize";
import { createServiceContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { alertRules, alerts, modelVersions, registeredModels, telemetryWindows } from "../../server/db/schema";
import { createRegisteredModel } from "../../server/services/registry/models";
import { setAlias } from "../../server/services/registry/targets";
import { createModelVersion } from "../../server/services/registry/versions";
import { createExperiment } from "../../server/services/tracking/experiments";
import { logBatch } from "../../server/services/tracking/logging";
import { createRun, updateRun } from "../../server/services/tracking/runs";
import { addMember, callerFor, makeProject, makeUser, sessionOf, unique } from "../support/factories";

/**
 * What a promotion request brings in beside the metrics: the candidate's model card (and a gate
 * requiring it complete), and the current holder's production record (and a gate requiring the
 * candidate to beat it).
 */

const champion = { kind: "alias", name: "champion" } as const;

/** A project with a maintainer and a contributor, a model whose v1 holds @champion, and v2, a candidate. */
async function makeTeam() {
  const owner = await makeUser();
  const project = await makeProject(owner);
  const people: Record<"maintainer" | "contributor", ActorUser> = { maintainer: await makeUser(), contributor: await makeUser() };
  await addMember(project.id, people.maintainer, "maintainer");
  await addMember(project.id, people.contributor, "contributor");
  const ctx = await authorizeProject(createServiceContext(sessionOf(owner)), project.slug, "project.read");
  const { experimentId } = await createExperiment({ ctx, input: { name: unique("exp") } });
  const model = unique("churn");
  await createRegisteredModel({ ctx, input: { name: model } });
  for (const accuracy of [0.91, 0.93]) {
    const runId = (await createRun({ ctx, input: { experimentId } })).info.runId;
    await logBatch({ ctx, input: { runId, metrics: [{ key: "val_accuracy", value: accuracy, timestamp: 1, step: 0 }] } });
    await updateRun({ ctx, input: { runId, status: "FINISHED", endTime: 2 } });
    await createModelVersion({ ctx, input: { name: model, source: `runs:/${runId}/model`, runId } });
  }
  await setAlias({ ctx, input: { name: model, alias: "champion", version: 1 } });
  const [row] = await getDb()
    .select({ id: registeredModels.id })
    .from(registeredModels)
    .where(and(eq(registeredModels.projectId, project.id), eq(registeredModels.name, model)));
  const versions = await getDb().select().from(modelVersions).where(eq(modelVersions.modelId, row!.id));
  const versionId = (n: number) => versions.find((v) => v.version === n)!.id;
  const api = (who: keyof typeof people) => callerFor(sessionOf(people[who]));
  const protect = (gates: unknown[]) => api("maintainer").promotion.saveRule({ projectSlug: project.slug, target: champion, gates: gates as never });
  const request = () => api("contributor").promotion.request({ projectSlug: project.slug, modelName: model, version: 2, target: champion });
  const view = (number: number) => api("contributor").promotion.get({ projectSlug: project.slug, number });
  return { project, slug: project.slug, model, modelId: row!.id, versionId, api, protect, request, view };
}

/** Production telemetry of one hour for a version serving @champion. */
async function serve(team: Awaited<ReturnType<typeof makeTeam>>, version: number, w: { records: number; labelled: number; correct: number }) {
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  await getDb()
    .insert(telemetryWindows)
    .values({ versionId: team.versionId(version), target: "champion", windowStart: hour, modelId: team.modelId, ...w })
    .onConflictDoUpdate({ target: [telemetryWindows.versionId, telemetryWindows.target, telemetryWindows.windowStart], set: w });
}

describe("the card in a promotion request", () => {
  it("shows the candidate's card completeness, and a card_complete gate turns as the card is written, without dismissing approvals", async () => {
    const team = await makeTeam();
    await team.protect([{ type: "card_complete", fields: ["intendedUse", "owners"] }]);
    const opened = await team.request();
    let page = await team.view(opened.number);
    expect(page.card).toEqual({
      filled: [],
      missing: ["intendedUse", "outOfScopeUses", "trainingData", "evaluation", "limitations", "ethicalConsiderations", "owners"],
    });
    expect(page.gates[0]).toMatchObject({ passed: false, actual: "0 of 2 sections", message: "The card leaves intended use, owners empty" });
    expect(page.blockers).toContainEqual({ kind: "gates", failing: 1 });

    await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" });
    // The model's card gives owners to every version; the version writes its own intended use.
    await team.api("contributor").modelCard.save({ projectSlug: team.slug, name: team.model, content: { owners: "Retention squad" } });
    page = await team.view(opened.number);
    expect(page.gates[0]).toMatchObject({ passed: false, actual: "1 of 2 sections", message: "The card leaves intended use empty" });
    await team.api("contributor").modelCard.save({ projectSlug: team.slug, name: team.model, version: 2, content: { intendedUse: "Monthly churn risk." } });
    page = await team.view(opened.number);
    expect(page.card.filled).toEqual(["intendedUse", "owners"]);
    expect(page.gates[0]).toMatchObject({ passed: true, actual: "2 of 2 sections" });
    expect(page.request.stale).toBe(false);
    expect(page.approvals).toBe(1);
    expect(page.blockers).toEqual([]);
  });

  it("refuses a card_complete gate naming an unknown section", async () => {
    const team = await makeTeam();
    await expect(team.protect([{ type: "card_complete", fields: ["favouriteColour"] }])).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("production evidence in a promotion request", () => {
  it("shows the holder's record since it took the target and the model's open alerts beside the candidate", async () => {
    const team = await makeTeam();
    await team.protect([]);
    const opened = await team.request();
    expect((await team.view(opened.number)).production).toMatchObject({
      record: { version: 1, records: 0, labelled: 0, metric: { value: null } },
      openAlerts: [],
    });

    await serve(team, 1, { records: 120, labelled: 80, correct: 68 });
    const [rule] = await getDb()
      .insert(alertRules)
      .values({ projectId: team.project.id, modelId: team.modelId, name: "Accuracy decay", kind: "decay", config: { margin: 0.02 } })
      .returning();
    await getDb().insert(alerts).values({
      projectId: team.project.id,
      ruleId: rule!.id,
      modelId: team.modelId,
      subject: "target:champion",
      title: "Accuracy 0.85 is below validation 0.91",
    });
    const { production } = await team.view(opened.number);
    expect(production!.record).toMatchObject({
      version: 1,
      records: 120,
      labelled: 80,
      metric: { name: "accuracy", value: 0.85, validationKey: "val_accuracy", validation: 0.91 },
    });
    // Since the hour v1 took @champion (a moment ago).
    expect(Date.now() - production!.since.getTime()).toBeLessThan(2 * 3_600_000);
    expect(production!.openAlerts.map((a) => a.title)).toEqual(["Accuracy 0.85 is below validation 0.91"]);
  });

  it("a beats_production gate compares the candidate's validation metric with the holder's production metric, judged again on view and on approval", async () => {
    const team = await makeTeam();
    await team.protect([{ type: "beats_production", metric: "val_accuracy", margin: 0.01, passWithoutEvidence: false }]);
    const opened = await team.request();
    let page = await team.view(opened.number);
    expect(page.gates[0]).toMatchObject({ passed: false, message: "Version 1 has no labelled production records yet to compare with" });

    // Production is better than the candidate's validation: the gate holds it back, and an approval does not apply it.
    await serve(team, 1, { records: 100, labelled: 50, correct: 48 });
    page = await team.view(opened.number);
    expect(page.gates[0]).toMatchObject({
      passed: false,
      actual: "0.93",
      expected: "val_accuracy better than accuracy 0.96 in production (version 1) by more than 0.01",
      message: "val_accuracy is 0.93 against accuracy 0.96 for version 1 over 50 labelled records",
    });
    expect(await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" })).toMatchObject({
      status: "open",
      gatesPass: false,
    });

    // Production decayed: the candidate now beats it by more than the margin, and the next approval applies.
    await serve(team, 1, { records: 100, labelled: 50, correct: 44 });
    page = await team.view(opened.number);
    expect(page.gates[0]).toMatchObject({ passed: true, message: "val_accuracy is 0.93 against accuracy 0.88 for version 1 over 50 labelled records" });
    expect(page.blockers).toEqual([]);
    expect(await team.api("maintainer").promotion.review({ projectSlug: team.slug, number: opened.number, decision: "approve" })).toEqual({
      status: "applied",
    });
    const closed = await team.view(opened.number);
    expect(closed.gates[0]).toMatchObject({ passed: true });
    expect(closed.production).toBeNull();
  });
});

import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { auditEvents } from "../../server/db/schema";
import { monitoringConfig, saveMonitoringConfig } from "../../server/services/monitoring/config";
import { createRegisteredModel } from "../../server/services/registry/models";
import { modelByName } from "../../server/services/registry/shared";
import { addMember, callerFor, makeUser, outcome, projectContext, sessionOf, unique } from "../support/factories";

/** How a model is watched: defaults, saving through tRPC (maintainers), validation and the audit row. */

let ctx: ProjectContext;
let owner: Awaited<ReturnType<typeof makeUser>>;
let modelId: string;
let name: string;

beforeAll(async () => {
  ({ ctx, owner } = await projectContext("member.manage"));
  name = unique("model");
  await createRegisteredModel({ ctx, input: { name } });
  modelId = (await modelByName(ctx, name)).id;
});

const save = (config: unknown, who = owner) =>
  callerFor(sessionOf(who)).monitoring.saveConfig({ projectSlug: ctx.project.slug, name, config: config as never });

describe("monitoring config", () => {
  it("is the defaults until someone configures the model", async () => {
    expect(await monitoringConfig(ctx, modelId)).toEqual({ task: "classification", metric: "accuracy", validationMetric: null, retentionDays: 30 });
  });

  it("saves, reads back, and writes one audit row with the settings before and after", async () => {
    const saved = await save({ task: "regression", metric: "rmse", validationMetric: " val_rmse ", retentionDays: 7 });
    expect(saved).toEqual({ task: "regression", metric: "rmse", validationMetric: "val_rmse", retentionDays: 7 });
    expect(await monitoringConfig(ctx, modelId)).toEqual(saved);
    await save({ task: "regression", metric: "mae", validationMetric: "", retentionDays: 7 });
    expect((await monitoringConfig(ctx, modelId)).validationMetric).toBeNull();
    const audit = await getDb().select().from(auditEvents).where(eq(auditEvents.targetId, modelId));
    const rows = audit.filter((a) => a.action === "model.configure_monitoring");
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.before)).toContainEqual({ name, task: "classification", metric: "accuracy", validationMetric: null, retentionDays: 30 });
    expect(rows.map((r) => r.after)).toContainEqual({ name, task: "regression", metric: "mae", validationMetric: null, retentionDays: 7 });
  });

  it("refuses a metric that does not fit the task and an out-of-range retention, naming the field, and changes nothing", async () => {
    const before = await monitoringConfig(ctx, modelId);
    await expect(saveMonitoringConfig(ctx, name, { task: "classification", metric: "mae", validationMetric: null, retentionDays: 7 })).rejects.toThrow(
      /metric: A classification model is scored by accuracy/,
    );
    await expect(saveMonitoringConfig(ctx, name, { task: "regression", metric: "mae", validationMetric: null, retentionDays: 0 })).rejects.toThrow(
      /retentionDays: Keep raw records at least 1 day/,
    );
    expect(await outcome(() => save({ task: "regression", metric: "mae", validationMetric: null, retentionDays: 1.5 }))).toBe("BAD_REQUEST");
    expect(await monitoringConfig(ctx, modelId)).toEqual(before);
  });

  it("is a maintainer's decision: a contributor is refused", async () => {
    const contributor = await makeUser();
    await addMember(ctx.project.id, contributor, "contributor");
    expect(await outcome(() => save({ task: "classification", metric: "accuracy", validationMetric: null, retentionDays: 30 }, contributor))).toBe("FORBIDDEN");
  });

  it("answers NOT_FOUND for a model the project does not have", async () => {
    const call = callerFor(sessionOf(owner)).monitoring.saveConfig({
      projectSlug: ctx.project.slug,
      name: unique("nope"),
      config: { task: "classification", metric: "accuracy", validationMetric: null, retentionDays: 30 },
    });
    expect(await outcome(() => call)).toBe("NOT_FOUND");
  });
});

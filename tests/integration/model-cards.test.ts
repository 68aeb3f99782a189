import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as versionCardFile } from "../../app/(app)/p/[slug]/models/[name]/versions/[version]/card.md/route";
import { GET as modelCardFile } from "../../app/(app)/p/[slug]/models/[name]/card.md/route";
import type { ActorUser } from "../../server/access/actor";
import type { ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { auditEvents, modelCards } from "../../server/db/schema";
import { createRegisteredModel } from "../../server/services/registry/models";
import { createModelVersion } from "../../server/services/registry/versions";
import { putArtifact } from "../../server/services/tracking/artifacts";
import { createExperiment } from "../../server/services/tracking/experiments";
import { logInputs } from "../../server/services/tracking/inputs";
import { logBatch } from "../../server/services/tracking/logging";
import { createRun } from "../../server/services/tracking/runs";
import { addMember, callerFor, makeUser, outcome, projectContext, sessionOf, tokenActorOf, unique } from "../support/factories";

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
mlflow_version: 3.1.0
signature:
  inputs: '[{"type": "double", "name": "amount", "required": true}, {"type": "string", "name": "country", "required": false}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
`;

let ctx: ProjectContext;
let slug: string;
let owner: ActorUser;
let contributor: ActorUser;
let viewer: ActorUser;
let model: string;
let runId: string;
const as = (user: ActorUser) => callerFor(sessionOf(user));

beforeAll(async () => {
  ({ ctx, owner } = await projectContext("member.manage"));
  slug = ctx.project.slug;
  contributor = await makeUser({ name: "Cora Contributor" });
  viewer = await makeUser();
  await addMember(ctx.project.id, contributor, "contributor");
  await addMember(ctx.project.id, viewer, "viewer");
  const { experimentId } = await createExperiment({ ctx, input: { name: unique("fraud-exp") } });
  const run = await createRun({ ctx, input: { experimentId, runName: "gbm-42" } });
  runId = run.info.runId;
  await logBatch({
    ctx,
    input: {
      runId,
      metrics: [
        { key: "val_auc", value: 0.91, timestamp: 1, step: 0 },
        { key: "system/cpu_utilization", value: 80, timestamp: 1, step: 0 },
      ],
    },
  });
  await logInputs({
    ctx,
    input: {
      runId,
      datasets: [
        {
          tags: [{ key: "mlflow.data.context", value: "training" }],
          dataset: { name: "transactions-2025", digest: "abc123", sourceType: "local", source: "{}" },
        },
      ],
    },
  });
  await putArtifact(ctx, `${run.info.artifactUri.replace(/^mlflow-artifacts:\//, "")}/model/MLmodel`, new Blob([MLMODEL]).stream());
  model = unique("fraud");
  await createRegisteredModel({ ctx, input: { name: model, description: "Scores card payments for fraud." } });
  await createModelVersion({ ctx, input: { name: model, source: `runs:/${runId}/model`, runId } });
  await createModelVersion({ ctx, input: { name: model, source: `runs:/${runId}/model`, runId } });
});

describe("model cards", () => {
  it("start empty, with suggestions drafted from the description, signature, datasets, metrics and registrant", async () => {
    const card = await as(viewer).modelCard.get({ projectSlug: slug, name: model, version: 1 });
    expect(card.completeness).toEqual({
      filled: 0,
      total: 7,
      missing: ["intendedUse", "outOfScopeUses", "trainingData", "evaluation", "limitations", "ethicalConsiderations", "owners"],
    });
    const suggestion = (field: string) => card.sections.find((s) => s.field === field)!.suggestion;
    expect(suggestion("intendedUse")).toBe("Scores card payments for fraud.");
    expect(suggestion("trainingData")).toContain("transactions-2025 (training, local, digest abc123)");
    expect(suggestion("trainingData")).toContain("- amount: double\n- country: string (optional)");
    expect(suggestion("evaluation")).toContain("- val_auc: 0.91");
    expect(suggestion("evaluation")).toContain(`run gbm-42 (${runId})`);
    expect(suggestion("evaluation")).not.toContain("system/");
    expect(suggestion("owners")).toBe(ctx.actor.kind === "user" ? ctx.actor.user.name : "");
    expect(suggestion("limitations")).toBeNull();
    expect(card.facts).toMatchObject({ run: { runId, name: "gbm-42" }, signature: { inputs: [{ name: "amount" }, { name: "country" }] } });
  });

  it("saves a version's card whole, and fills its empty sections from the model's card, marked as inherited", async () => {
    await as(contributor).modelCard.save({ projectSlug: slug, name: model, content: { owners: "Fraud team", limitations: "Not for wire transfers." } });
    await as(contributor).modelCard.save({
      projectSlug: slug,
      name: model,
      version: 1,
      content: { intendedUse: "  Real-time scoring of card payments.  ", limitations: "Trained on EU data only.", evaluation: "" },
    });
    const card = await as(viewer).modelCard.get({ projectSlug: slug, name: model, version: 1 });
    const section = (field: string) => card.sections.find((s) => s.field === field)!;
    expect(section("intendedUse")).toMatchObject({ value: "Real-time scoring of card payments.", inherited: false });
    expect(section("limitations")).toMatchObject({ value: "Trained on EU data only.", inherited: false });
    expect(section("owners")).toMatchObject({ value: "Fraud team", inherited: true });
    expect(section("evaluation")).toMatchObject({ value: "", inherited: false });
    expect(card.completeness).toMatchObject({ filled: 3, missing: ["outOfScopeUses", "trainingData", "evaluation", "ethicalConsiderations"] });
    // Version 2 has no card of its own: it reads the model's.
    const other = await as(viewer).modelCard.get({ projectSlug: slug, name: model, version: 2 });
    expect(other.sections.filter((s) => s.value).map((s) => [s.field, s.inherited])).toEqual([
      ["limitations", true],
      ["owners", true],
    ]);
    // A blank section is no section: the stored content holds only what was written.
    const rows = await getDb().select().from(modelCards).where(eq(modelCards.projectId, ctx.project.id));
    expect(rows.map((r) => r.content)).toContainEqual({ intendedUse: "Real-time scoring of card payments.", limitations: "Trained on EU data only." });
  });

  it("refuses unknown sections and over-long text with field errors, and keeps what was saved", async () => {
    const save = (content: Record<string, string>) => as(contributor).modelCard.save({ projectSlug: slug, name: model, version: 1, content });
    await expect(save({ intendedUse: "x".repeat(20_001) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("under 20,000 characters"),
    });
    await expect(save({ favouriteColour: "blue" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const card = await as(viewer).modelCard.get({ projectSlug: slug, name: model, version: 1 });
    expect(card.sections.find((s) => s.field === "intendedUse")!.value).toBe("Real-time scoring of card payments.");
  });

  it("is edited only with model.write: a viewer, a read-only token and another project's member are refused", async () => {
    const save = (who: ReturnType<typeof as>) => who.modelCard.save({ projectSlug: slug, name: model, content: { owners: "Someone else" } });
    expect(await outcome(() => save(as(viewer)))).toBe("FORBIDDEN");
    const readOnly = (await tokenActorOf(owner, { readOnly: true })).actor;
    expect(await outcome(() => save(callerFor(readOnly)))).toBe("FORBIDDEN");
    const stranger = await makeUser();
    expect(await outcome(() => save(as(stranger)))).toBe("NOT_FOUND");
    expect(await outcome(() => as(viewer).modelCard.get({ projectSlug: slug, name: model, version: 9 }))).toBe("NOT_FOUND");
  });

  it("records every save in the audit trail with what the card said before", async () => {
    await as(contributor).modelCard.save({ projectSlug: slug, name: model, version: 2, content: { owners: "Risk team" } });
    await as(contributor).modelCard.save({ projectSlug: slug, name: model, version: 2, content: { owners: "Risk team (on call: #risk)" } });
    const rows = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.projectId, ctx.project.id), eq(auditEvents.action, "model_card.update")));
    const v2 = rows.filter((r) => (r.after as { version: number | null }).version === 2);
    expect(v2.map((r) => [r.before, (r.after as { content: unknown }).content])).toEqual([
      [null, { owners: "Risk team" }],
      [{ owners: "Risk team" }, { owners: "Risk team (on call: #risk)" }],
    ]);
    expect(v2[0]!.actorUserId).toBe(contributor.id);
    expect(v2[0]!.targetType).toBe("model_version");
  });

  it("exports as markdown, a version's with its inherited sections and lineage, for members only", async () => {
    const download = (token: string, version?: string) => {
      const base = `http://cairn.test/p/${slug}/models/${encodeURIComponent(model)}`;
      const init = { headers: { authorization: `Bearer ${token}` } };
      return version
        ? versionCardFile(new Request(`${base}/versions/${version}/card.md`, init), {
            params: Promise.resolve({ slug, name: encodeURIComponent(model), version }),
          })
        : modelCardFile(new Request(`${base}/card.md`, init), { params: Promise.resolve({ slug, name: encodeURIComponent(model) }) });
    };
    const { secret } = await tokenActorOf(viewer);
    const response = await download(secret, "1");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename*=UTF-8''${model}-v1-card.md`);
    const text = await response.text();
    expect(text).toContain(`# Model card: ${model} version 1`);
    expect(text).toContain("3 of 7 sections written");
    expect(text).toContain("## Intended use\n\nReal-time scoring of card payments.");
    expect(text).toContain("## Owners\n\nFraud team\n\n_From the model's card._");
    expect(text).toContain("## Evaluation\n\n_Not written yet._");
    expect(text).toContain(`- Source run: gbm-42 (${runId}, RUNNING) in experiment`);
    expect(text).toContain("| input | amount | double | yes |");
    expect(text).toContain("| val_auc | 0.91 |");
    expect(text).toContain("| transactions-2025 | training | local | abc123 |");

    const modelLevel = await download(secret);
    expect(modelLevel.status).toBe(200);
    expect(await modelLevel.text()).toContain("## Limitations\n\nNot for wire transfers.");
    expect((await download((await tokenActorOf(await makeUser())).secret, "1")).status).toBe(404);
    expect((await download(secret, "9")).status).toBe(404);
    const anonymous = await versionCardFile(new Request(`http://cairn.test/p/${slug}/models/${model}/versions/1/card.md`), {
      params: Promise.resolve({ slug, name: encodeURIComponent(model), version: "1" }),
    });
    expect(anonymous.status).toBe(401);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { GET as getVersionFile } from "../../app/(app)/p/[slug]/models/[name]/versions/[version]/files/[...path]/route";
import type { ProjectContext } from "../../server/context";
import { createRegisteredModel } from "../../server/services/registry/models";
import { setAlias, transitionStage } from "../../server/services/registry/targets";
import { createModelVersion, deleteModelVersion } from "../../server/services/registry/versions";
import { putArtifact } from "../../server/services/tracking/artifacts";
import { createExperiment } from "../../server/services/tracking/experiments";
import { createLoggedModel, deleteLoggedModel } from "../../server/services/tracking/logged-models";
import { createRun } from "../../server/services/tracking/runs";
import { addMember, callerFor, makeUser, outcome, projectContext, sessionOf, tokenActorOf, unique } from "../support/factories";

/**
 * Runs and models linked both ways: the versions registered from a run, what a version's model
 * directory holds (files, signature, input example), its downloads, and registering a logged model.
 */

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    model_path: model.pkl
  sklearn:
    pickled_model: model.pkl
    sklearn_version: 1.5.1
mlflow_version: 3.1.0
saved_input_example_info:
  artifact_path: input_example.json
  type: dataframe
signature:
  inputs: '[{"type": "double", "name": "amount", "required": true}, {"type": "string", "name": "country", "required": false}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
`;
const EXAMPLE = JSON.stringify({ columns: ["amount", "country"], data: [[12.5, "FR"]] });

let ctx: ProjectContext;
let slug: string;
let owner: Awaited<ReturnType<typeof makeUser>>;
let runId: string;
let otherRunId: string;
let loggedModelId: string;
let bigExampleModelId: string;
const owned = () => callerFor(sessionOf(owner));

const put = (path: string, body: string | Uint8Array<ArrayBuffer>) => putArtifact(ctx, path, new Blob([body]).stream());
const stripScheme = (uri: string) => uri.replace(/^mlflow-artifacts:\//, "");

beforeAll(async () => {
  ({ ctx, owner } = await projectContext("member.manage"));
  slug = ctx.project.slug;
  const { experimentId } = await createExperiment({ ctx, input: { name: unique("exp") } });
  const run = await createRun({ ctx, input: { experimentId } });
  runId = run.info.runId;
  otherRunId = (await createRun({ ctx, input: { experimentId } })).info.runId;
  const logged = await createLoggedModel({ ctx, input: { experimentId, sourceRunId: runId, name: "model" } });
  loggedModelId = logged.info.modelId;
  const dir = stripScheme(logged.info.artifactUri);
  await put(`${dir}/MLmodel`, MLMODEL);
  await put(`${dir}/input_example.json`, EXAMPLE);
  await put(`${dir}/model.pkl`, new Uint8Array(2048));
  await put(`${dir}/env/requirements.txt`, "scikit-learn==1.5.1\n");
  const big = await createLoggedModel({ ctx, input: { experimentId, sourceRunId: runId } });
  bigExampleModelId = big.info.modelId;
  await put(`${stripScheme(big.info.artifactUri)}/MLmodel`, MLMODEL);
  await put(`${stripScheme(big.info.artifactUri)}/input_example.json`, JSON.stringify({ data: Array.from({ length: 2000 }, (_, i) => [i, "FR"]) }));
});

describe("registerLoggedModel", () => {
  it("creates the registered model when the name is new, with the logged model as source and its run", async () => {
    const name = unique("fraud");
    const registered = await owned().registry.registerLoggedModel({ projectSlug: slug, modelId: loggedModelId, name });
    expect(registered).toEqual({ name, version: 1, createdModel: true });
    const detail = await owned().registry.version({ projectSlug: slug, name, version: 1 });
    expect(detail.version).toMatchObject({ source: `models:/${loggedModelId}`, runId, modelId: loggedModelId });
    // The framework still comes from the MLmodel file, now read as YAML.
    expect((await owned().registry.model({ projectSlug: slug, name })).versions[0]!.framework).toBe("sklearn");
  });

  it("adds the next version to a model the project has", async () => {
    const name = unique("fraud");
    await createRegisteredModel({ ctx, input: { name } });
    await createModelVersion({ ctx, input: { name, source: `runs:/${otherRunId}/model`, runId: otherRunId } });
    expect(await owned().registry.registerLoggedModel({ projectSlug: slug, modelId: loggedModelId, name })).toEqual({ name, version: 2, createdModel: false });
  });

  it("refuses an empty name with a field error, and creates nothing", async () => {
    const before = (await owned().registry.models({ projectSlug: slug })).total;
    await expect(owned().registry.registerLoggedModel({ projectSlug: slug, modelId: loggedModelId, name: "  " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Registered model name must not be empty"),
    });
    expect((await owned().registry.models({ projectSlug: slug })).total).toBe(before);
  });

  it("is refused to a viewer and a read-only token, and never reaches another project's logged model", async () => {
    const viewer = await makeUser();
    await addMember(ctx.project.id, viewer, "viewer");
    const name = unique("fraud");
    expect(await outcome(() => callerFor(sessionOf(viewer)).registry.registerLoggedModel({ projectSlug: slug, modelId: loggedModelId, name }))).toBe(
      "FORBIDDEN",
    );
    const readOnly = (await tokenActorOf(owner, { readOnly: true })).actor;
    expect(await outcome(() => callerFor(readOnly).registry.registerLoggedModel({ projectSlug: slug, modelId: loggedModelId, name }))).toBe("FORBIDDEN");
    const contributor = await makeUser();
    await addMember(ctx.project.id, contributor, "contributor");
    expect(await outcome(() => callerFor(sessionOf(contributor)).registry.registerLoggedModel({ projectSlug: slug, modelId: loggedModelId, name }))).toBe("OK");

    const elsewhere = await projectContext("member.manage");
    const { experimentId } = await createExperiment({ ctx: elsewhere.ctx, input: { name: unique("exp") } });
    const foreign = await createLoggedModel({ ctx: elsewhere.ctx, input: { experimentId } });
    expect(await outcome(() => owned().registry.registerLoggedModel({ projectSlug: slug, modelId: foreign.info.modelId, name: unique("x") }))).toBe(
      "NOT_FOUND",
    );
    expect((await owned().registry.models({ projectSlug: slug, query: name })).models.map((m) => m.name)).toEqual([name]);
  });
});

describe("runVersions", () => {
  it("lists the versions registered from the run, through a logged model or runs:/, with stage and aliases", async () => {
    const name = unique("a-model");
    await owned().registry.registerLoggedModel({ projectSlug: slug, modelId: loggedModelId, name });
    await createModelVersion({ ctx, input: { name, source: `runs:/${runId}/model` } });
    await createModelVersion({ ctx, input: { name, source: `runs:/${otherRunId}/model` } });
    await createModelVersion({ ctx, input: { name, source: `runs:/${runId}/model` } });
    await deleteModelVersion({ ctx, input: { name, version: 4 } });
    await setAlias({ ctx, input: { name, alias: "champion", version: 2 } });
    await setAlias({ ctx, input: { name, alias: "shadow", version: 2 } });
    await transitionStage({ ctx, input: { name, version: 1, stage: "Staging" } });

    const listed = await owned().registry.runVersions({ projectSlug: slug, runId });
    expect(listed.filter((v) => v.name === name).map(({ createdAt: _, ...v }) => v)).toEqual([
      { name, version: 2, stage: "None", aliases: ["champion", "shadow"] },
      { name, version: 1, stage: "Staging", aliases: [] },
    ]);
    const other = await owned().registry.runVersions({ projectSlug: slug, runId: otherRunId });
    expect(other.filter((v) => v.name === name).map((v) => v.version)).toEqual([3]);
  });

  it("does not name another project's run", async () => {
    const elsewhere = await projectContext();
    const foreignRun = await createRun({ ctx: elsewhere.ctx, input: {} });
    expect(await outcome(() => owned().registry.runVersions({ projectSlug: slug, runId: foreignRun.info.runId }))).toBe("NOT_FOUND");
  });
});

describe("runLoggedModels", () => {
  it("lists the run's live logged models, newest first, with how many live versions each became", async () => {
    const { experimentId } = await createExperiment({ ctx, input: { name: unique("exp") } });
    const run = (await createRun({ ctx, input: { experimentId } })).info.runId;
    const first = (await createLoggedModel({ ctx, input: { experimentId, sourceRunId: run, name: "first" } })).info.modelId;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = (await createLoggedModel({ ctx, input: { experimentId, sourceRunId: run, name: "second" } })).info.modelId;
    const deleted = (await createLoggedModel({ ctx, input: { experimentId, sourceRunId: run } })).info.modelId;
    await deleteLoggedModel({ ctx, input: { modelId: deleted } });
    await createLoggedModel({ ctx, input: { experimentId, sourceRunId: otherRunId } });
    const [kept, dropped] = [unique("kept"), unique("dropped")];
    await owned().registry.registerLoggedModel({ projectSlug: slug, modelId: first, name: kept });
    await owned().registry.registerLoggedModel({ projectSlug: slug, modelId: first, name: kept });
    await owned().registry.registerLoggedModel({ projectSlug: slug, modelId: first, name: dropped });
    await deleteModelVersion({ ctx, input: { name: dropped, version: 1 } });

    const listed = await owned().registry.runLoggedModels({ projectSlug: slug, runId: run });
    expect(listed.map(({ modelId, name, versions }) => ({ modelId, name, versions }))).toEqual([
      { modelId: second, name: "second", versions: 0 },
      { modelId: first, name: "first", versions: 2 },
    ]);
  });

  it("does not name another project's run", async () => {
    const elsewhere = await projectContext();
    const foreignRun = await createRun({ ctx: elsewhere.ctx, input: {} });
    expect(await outcome(() => owned().registry.runLoggedModels({ projectSlug: slug, runId: foreignRun.info.runId }))).toBe("NOT_FOUND");
  });
});

describe("versionArtifacts", () => {
  it("lists the model directory's files with sizes, the signature, and the input example", async () => {
    const name = unique("files");
    await owned().registry.registerLoggedModel({ projectSlug: slug, modelId: loggedModelId, name });
    const read = await owned().registry.versionArtifacts({ projectSlug: slug, name, version: 1 });
    expect(read).toMatchObject({ stored: true, truncated: false, flavors: ["python_function", "sklearn"], mlflowVersion: "3.1.0" });
    expect(read.files).toEqual([
      { path: "MLmodel", size: Buffer.byteLength(MLMODEL) },
      { path: "env/requirements.txt", size: 20 },
      { path: "input_example.json", size: EXAMPLE.length },
      { path: "model.pkl", size: 2048 },
    ]);
    expect(read.signature).toEqual({
      inputs: [
        { name: "amount", type: "double", required: true },
        { name: "country", type: "string", required: false },
      ],
      outputs: [{ name: null, type: "long", required: true }],
      params: [],
    });
    expect(read.inputExample).toEqual({
      path: "input_example.json",
      preview: JSON.stringify(JSON.parse(EXAMPLE), null, 2),
      size: EXAMPLE.length,
      truncated: false,
    });
  });

  it("previews only the head of a large input example", async () => {
    const name = unique("big");
    await owned().registry.registerLoggedModel({ projectSlug: slug, modelId: bigExampleModelId, name });
    const { inputExample } = await owned().registry.versionArtifacts({ projectSlug: slug, name, version: 1 });
    expect(inputExample!.truncated).toBe(true);
    expect(inputExample!.preview.length).toBe(4096);
    expect(inputExample!.size).toBeGreaterThan(10_000);
  });

  it("reads the directory an MLflow 2.x client registered by its store URI", async () => {
    const { experimentId } = await createExperiment({ ctx, input: { name: unique("exp") } });
    const run = await createRun({ ctx, input: { experimentId } });
    await put(`${stripScheme(run.info.artifactUri)}/model/MLmodel`, MLMODEL);
    const name = unique("mlflow2");
    await createRegisteredModel({ ctx, input: { name } });
    await createModelVersion({ ctx, input: { name, source: `${run.info.artifactUri}/model`, runId: run.info.runId } });
    const read = await owned().registry.versionArtifacts({ projectSlug: slug, name, version: 1 });
    expect(read).toMatchObject({ stored: true, files: [{ path: "MLmodel", size: Buffer.byteLength(MLMODEL) }], flavors: ["python_function", "sklearn"] });
    expect(read.signature?.inputs.map((f) => f.name)).toEqual(["amount", "country"]);
  });

  it("has nothing to show for files stored outside Cairn", async () => {
    const name = unique("s3");
    await createRegisteredModel({ ctx, input: { name } });
    await createModelVersion({ ctx, input: { name, source: "s3://bucket/models/fraud" } });
    expect(await owned().registry.versionArtifacts({ projectSlug: slug, name, version: 1 })).toEqual({
      stored: false,
      files: [],
      truncated: false,
      flavors: [],
      signature: null,
      inputExample: null,
      mlflowVersion: null,
    });
  });
});

describe("version file route", () => {
  let name: string;
  let secret: string;
  beforeAll(async () => {
    name = unique("dl");
    await owned().registry.registerLoggedModel({ projectSlug: slug, modelId: loggedModelId, name });
    secret = (await tokenActorOf(owner, { readOnly: true })).secret;
  });
  const download = (path: string, options: { token?: string; version?: string } = {}) =>
    getVersionFile(
      new Request(`http://cairn.test/p/${slug}/models/${name}/versions/1/files/${path}?download=1`, {
        headers: { authorization: `Bearer ${options.token ?? secret}` },
      }),
      { params: Promise.resolve({ slug, name: encodeURIComponent(name), version: options.version ?? "1", path: path.split("/") }) },
    );

  it("downloads a file of the version's directory as an attachment", async () => {
    const response = await download("env/requirements.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''requirements.txt");
    expect(await response.text()).toBe("scikit-learn==1.5.1\n");
  });

  it("refuses paths that leave the directory, missing files and versions, and other projects' members", async () => {
    expect((await download("../../../MLmodel")).status).toBe(400);
    expect((await download("nothing.bin")).status).toBe(404);
    expect((await download("MLmodel", { version: "9" })).status).toBe(404);
    const stranger = (await tokenActorOf(await makeUser())).secret;
    expect((await download("MLmodel", { token: stranger })).status).toBe(404);
  });
});

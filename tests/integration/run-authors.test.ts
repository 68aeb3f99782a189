import { mlflow, type MlflowClient } from "../support/mlflow-client";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../server/db/client";
import { runs } from "../../server/db/schema";
import { uuidOfRunId } from "../../server/services/tracking/ids";
import { addMember, callerFor, makeProject, makeUser, sessionOf, tokenActorOf } from "../support/factories";

/**
 * A run is attributed to the person whose token logged it, whatever login name the MLflow client
 * reports (`root` on a shared training box): in the runs table, its people filter, the run page,
 * the overview's activity and leaderboard. The reported name stays MLflow's `user_id` and a tag.
 */

let slug: string;
let ada: Awaited<ReturnType<typeof makeUser>>;
let owner: Awaited<ReturnType<typeof makeUser>>;
let client: MlflowClient;
let runId: string;

const asOwner = () => callerFor(sessionOf(owner));

beforeAll(async () => {
  owner = await makeUser({ name: "Olivia Owner" });
  const project = await makeProject(owner);
  slug = project.slug;
  ada = await makeUser({ name: "Ada Lovelace" });
  await addMember(project.id, ada, "contributor");
  client = mlflow(slug, (await tokenActorOf(ada)).secret);
  // What `mlflow.start_run()` sends from a box where everyone is root.
  const created = await client.post("runs/create", {
    experiment_id: "0",
    user_id: "root",
    start_time: Date.now(),
    tags: [
      { key: "mlflow.user", value: "root" },
      { key: "mlflow.source.name", value: "train.py" },
    ],
  });
  expect(created.status, created.text).toBe(200);
  runId = created.json.run.info.run_id;
  const logged = await client.post("runs/log-batch", { run_id: runId, metrics: [{ key: "auc", value: 0.91, timestamp: Date.now(), step: 1 }] });
  expect(logged.status, logged.text).toBe(200);
});

describe("run authors", () => {
  it("keeps MLflow's wire as MLflow has it: user_id and the mlflow.user tag are what the client sent", async () => {
    const got = await client.get("runs/get", { run_id: runId });
    expect(got.json.run.info.user_id).toBe("root");
    expect(got.json.run.info).not.toHaveProperty("author");
    expect(got.json.run).not.toHaveProperty("author");
    expect(got.json.run.data.tags).toContainEqual({ key: "mlflow.user", value: "root" });
    const found = await client.post("runs/search", { experiment_ids: ["0"], filter: "attributes.user_id = 'root'" });
    expect(found.json.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);
  });

  it("shows the token's owner as the author in the runs table, with the reported name beside it", async () => {
    const { rows } = await asOwner().runsTable.rows({ projectSlug: slug });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ runId, userId: "root", author: { id: ada.id, name: "Ada Lovelace", email: ada.email } });
    expect(await asOwner().runsTable.authors({ projectSlug: slug })).toEqual([{ id: ada.id, name: "Ada Lovelace", email: ada.email, runs: 1 }]);
  });

  it("filters the runs table by the person, not by the reported name", async () => {
    const byAda = await asOwner().runsTable.rows({ projectSlug: slug, authorIds: [ada.id] });
    expect(byAda.rows.map((r) => r.runId)).toEqual([runId]);
    expect((await asOwner().runsTable.rows({ projectSlug: slug, authorIds: [owner.id] })).total).toBe(0);
  });

  it("names the author on the run page, keeping mlflow.user as a tag", async () => {
    const run = await asOwner().run.get({ projectSlug: slug, runId });
    expect(run.author).toEqual({ id: ada.id, name: "Ada Lovelace", email: ada.email });
    expect(run.info.userId).toBe("root");
    expect(run.data.tags).toContainEqual({ key: "mlflow.user", value: "root" });
    const recent = await asOwner().run.search({ projectSlug: slug, maxResults: 10 });
    expect(recent.runs.map((r) => r.author?.name)).toEqual(["Ada Lovelace"]);
  });

  it("leaves MLflow's latest-metric list out when the run page asks, keeping params and tags", async () => {
    const whole = await asOwner().run.get({ projectSlug: slug, runId });
    expect(whole.data.metrics.map((m) => m.key)).toEqual(["auc"]);
    const light = await asOwner().run.get({ projectSlug: slug, runId, latestMetrics: false });
    expect(light.data.metrics).toEqual([]);
    expect(light.data.tags).toEqual(whole.data.tags);
    expect(light.author).toEqual(whole.author);
  });

  it("counts the run for Ada in the overview's activity and leaderboard", async () => {
    const activity = await asOwner().overview.activity({ projectSlug: slug });
    expect(activity).toEqual([expect.objectContaining({ userId: ada.id, name: "Ada Lovelace", runs: 1 })]);
    await asOwner().project.setPrimaryMetric({ projectSlug: slug, key: "auc", goal: "max" });
    // The run is still running: ranked among all runs, not only the finished ones.
    const board = await asOwner().overview.leaderboard({ projectSlug: slug, status: "all" });
    expect(board!.runs).toEqual([expect.objectContaining({ runId, userName: "root", author: { id: ada.id, name: "Ada Lovelace", email: ada.email } })]);
  });

  it("leaves a run without a person unattributed, showing only what the client reported", async () => {
    const other = await client.post("runs/create", { experiment_id: "0", user_id: "root", start_time: Date.now() });
    const otherId: string = other.json.run.info.run_id;
    // As for a run whose person was deleted (the foreign key sets null), or one Cairn itself created.
    await getDb()
      .update(runs)
      .set({ createdBy: null })
      .where(eq(runs.id, uuidOfRunId(otherId)!));
    const { rows } = await asOwner().runsTable.rows({ projectSlug: slug });
    expect(rows.find((r) => r.runId === otherId)).toMatchObject({ userId: "root", author: null });
    expect((await asOwner().run.get({ projectSlug: slug, runId: otherId })).author).toBeNull();
    // The people filter lists people only.
    expect((await asOwner().runsTable.authors({ projectSlug: slug })).map((a) => a.id)).toEqual([ada.id]);
  });
});

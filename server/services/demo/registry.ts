import { requireUser } from "../../access/authorize";
import type { ProjectContext } from "../../context";
import { DomainError } from "../../errors";
import { createComment } from "../collaboration/comments";
import { mentionMarkup } from "../collaboration/mentions";
import { openRequest } from "../promotions/open-request";
import { reviewRequest } from "../promotions/review-request";
import { saveRule } from "../promotions/rules";
import { createRegisteredModel } from "../registry/models";
import { setAlias, transitionStage } from "../registry/targets";
import { createModelVersion } from "../registry/versions";
import { PRIMARY_METRIC, type SeededRun } from "./runs";

const DEMO_MODEL = "fraud-detector";
const PROTECTED_ALIAS = "champion";
const REQUIRED_APPROVALS = 2;

/** Who plays which part: a contributor registers and asks, two maintainers review. */
export type RegistryCast = { contributor: ProjectContext; maintainers: [ProjectContext, ProjectContext] };

export type RegistryStory =
  { model: string; versions: number; alias: string; requiredApprovals: number; gateMetric: string; applied: number[]; open: number[] } | { skipped: string };

const mention = (ctx: ProjectContext) => mentionMarkup(requireUser(ctx).user);
const fixed = (n: number | null) => (n === null ? "?" : n.toFixed(3));

/**
 * Three fraud runs, each better than the one before (so each promotion passes the gate): the last
 * three that beat every earlier run, as a team registers each new best; when too few did, three
 * spread over the range. The newest other finished run becomes an experimental fourth version.
 */
function chooseRuns(runs: SeededRun[]): SeededRun[] | null {
  const finished = runs.filter((r) => r.auc !== null && r.experiment.name.startsWith("fraud/"));
  if (finished.length < 3) return null;
  const records: SeededRun[] = [];
  for (const run of finished) if (!records.length || run.auc! > records.at(-1)!.auc!) records.push(run);
  let chosen = records.slice(-3);
  if (chosen.length < 3) {
    const sorted = [...finished].sort((a, b) => a.auc! - b.auc!);
    const last = sorted.length - 1;
    const first = Math.floor(0.25 * last);
    const second = Math.max(first + 1, Math.floor(0.6 * last));
    chosen = [sorted[first]!, sorted[second]!, sorted[Math.max(second + 1, Math.floor(0.9 * last))]!];
  }
  const experimental = finished.findLast((r) => !chosen.includes(r));
  return experimental ? [...chosen, experimental] : chosen;
}

/**
 * The registry side of the demo, through the same services as every door, so every rule holds: a
 * model whose versions come from demo runs, `@champion` on version 1 and then protected (two
 * approvals, the primary metric must not fall below the holder's), a promotion applied after a
 * discussion and two maintainers' approvals, and one still waiting for its second approval.
 * Skipped when too few runs finished to tell it, or when the project has the model already (a
 * second seed adds runs only).
 */
export async function seedRegistryStory(cast: RegistryCast, runs: SeededRun[]): Promise<RegistryStory> {
  const chosen = chooseRuns(runs);
  if (!chosen) return { skipped: "fewer than 3 fraud runs finished; seed more runs" };
  const { contributor } = cast;
  const [grace, margaret] = cast.maintainers;
  try {
    await createRegisteredModel({
      ctx: contributor,
      input: {
        name: DEMO_MODEL,
        description: `Scores card transactions for fraud. Versions come from the **fraud/** experiments; \`@${PROTECTED_ALIAS}\` serves production and changes only through a reviewed promotion.`,
        tags: [{ key: "team", value: "risk" }],
      },
    });
  } catch (error) {
    if (error instanceof DomainError && error.kind === "conflict") return { skipped: `the project has its model ${DEMO_MODEL} already` };
    throw error;
  }
  for (const [i, run] of chosen.entries()) {
    await createModelVersion({
      ctx: i % 2 ? margaret : contributor,
      input: {
        name: DEMO_MODEL,
        source: `runs:/${run.runId}/model`,
        runId: run.runId,
        description: `From run ${run.name} (${run.experiment.name}): ${PRIMARY_METRIC} ${fixed(run.auc)}.`,
      },
    });
  }
  // Before the rule: the first version takes the alias directly, as a team starting out would.
  await setAlias({ ctx: grace, input: { name: DEMO_MODEL, alias: PROTECTED_ALIAS, version: 1 } });
  if (chosen[3]) await transitionStage({ ctx: grace, input: { name: DEMO_MODEL, version: 4, stage: "Staging" } });
  const target = { kind: "alias" as const, name: PROTECTED_ALIAS };
  await saveRule({
    ctx: grace,
    input: {
      target,
      modelName: DEMO_MODEL,
      requiredApprovals: REQUIRED_APPROVALS,
      gates: [
        { type: "metric_vs_holder", metric: PRIMARY_METRIC, comparison: "gte", passWithoutHolder: true },
        { type: "run_status", status: "FINISHED" },
      ],
    },
  });

  const [v1, v2, v3] = chosen as [SeededRun, SeededRun, SeededRun];
  const applied = await openRequest({
    ctx: contributor,
    input: {
      modelName: DEMO_MODEL,
      version: 2,
      target,
      justification: `Version 2 beats version 1 on the holdout set: ${PRIMARY_METRIC} **${fixed(v2.auc)}** against ${fixed(v1.auc)}.\n\nSame features; tuned \`learning_rate\` and depth.`,
    },
    via: "ui",
  });
  const subject = { type: "promotion_request" as const, id: applied.number };
  const question = await createComment({
    ctx: grace,
    input: { subject, body: `Nice gain. ${mention(contributor)} did you check calibration on the holdout too?` },
  });
  await createComment({
    ctx: contributor,
    input: {
      subject,
      parentId: question.id,
      body: `Yes: the reliability curve is in the run's artifacts, and the Brier score dropped as well. ${mention(grace)}`,
    },
  });
  await reviewRequest({ ctx: grace, input: { number: applied.number, decision: "approve", comment: "Numbers and calibration look right." } });
  await reviewRequest({ ctx: margaret, input: { number: applied.number, decision: "approve", comment: "Agreed, ship it." } });

  const waiting = await openRequest({
    ctx: contributor,
    input: {
      modelName: DEMO_MODEL,
      version: 3,
      target,
      justification: `Version 3 edges out version 2: ${PRIMARY_METRIC} **${fixed(v3.auc)}** against ${fixed(v2.auc)}.`,
    },
    via: "ui",
  });
  await createComment({
    ctx: grace,
    input: {
      subject: { type: "promotion_request", id: waiting.number },
      body: `${mention(margaret)} could you take the second look? The gain over version 2 is small.`,
    },
  });
  await reviewRequest({ ctx: grace, input: { number: waiting.number, decision: "approve", comment: "Fine by me." } });

  return {
    model: DEMO_MODEL,
    versions: chosen.length,
    alias: PROTECTED_ALIAS,
    requiredApprovals: REQUIRED_APPROVALS,
    gateMetric: PRIMARY_METRIC,
    applied: [applied.number],
    open: [waiting.number],
  };
}

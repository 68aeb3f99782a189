import type { Permission } from "../access/permissions";
import type { ProjectContext } from "../context";
import * as models from "../services/registry/models";
import * as registrySearch from "../services/registry/search";
import * as targets from "../services/registry/targets";
import * as versions from "../services/registry/versions";
import { listRunArtifacts } from "../services/tracking/artifacts";
import * as experiments from "../services/tracking/experiments";
import { logInputs, logOutputs } from "../services/tracking/inputs";
import * as logged from "../services/tracking/logged-models";
import * as logging from "../services/tracking/logging";
import { logModelHistory } from "../services/tracking/log-model";
import { metricHistoryJson } from "../services/tracking/metric-history";
import * as runs from "../services/tracking/runs";
import * as search from "../services/tracking/search";
import { historyResponse } from "./history-stream";

type Method = "GET" | "POST" | "PATCH" | "DELETE";
type Input = Record<string, unknown>;

export type Endpoint = {
  method: Method;
  /** Path under /api/2.0/mlflow; `:name` matches one segment, `*name` the rest. */
  path: string;
  permission: Permission;
  /** GET query keys that are always lists, even when given once. */
  lists?: readonly string[];
  /** The reply's body, encoded by the handler; or a Response the endpoint built itself (a stream). */
  handle(ctx: ProjectContext, input: Input): Promise<unknown>;
};

type Service<I> = (args: { ctx: ProjectContext; input: I }) => Promise<unknown>;

/** An endpoint whose reply is the service result (or `{}`), optionally wrapped under one key. */
function call<I>(service: Service<I>, wrap?: string) {
  return async (ctx: ProjectContext, input: Input) => {
    const result = await service({ ctx, input: input as I });
    return wrap ? { [wrap]: result } : (result ?? {});
  };
}

const endpoint = (method: Method, path: string, permission: Permission, handle: Endpoint["handle"], lists?: string[]): Endpoint => ({
  method,
  path,
  permission,
  handle,
  lists,
});

const read: Permission = "project.read";

/** get-history's points are streamed, not built as one object and encoded (see history-stream.ts). */
const streamHistory = async (args: Parameters<typeof metricHistoryJson>[0]) => historyResponse(await metricHistoryJson(args));

/** The MLflow 2.0 REST surface that Cairn serves, checked against the official clients. */
export const ENDPOINTS: Endpoint[] = [
  // Experiments
  endpoint("POST", "experiments/create", "experiment.write", call(experiments.createExperiment)),
  endpoint("GET", "experiments/get", read, call(experiments.getExperiment, "experiment")),
  endpoint("GET", "experiments/get-by-name", read, async (ctx, input) => ({
    experiment: await experiments.getExperimentByName({ ctx, input: { name: input.experimentName as string } }),
  })),
  endpoint("POST", "experiments/search", read, call(search.searchExperiments)),
  endpoint("GET", "experiments/search", read, call(search.searchExperiments), ["order_by"]),
  endpoint("POST", "experiments/update", "experiment.write", call(experiments.renameExperiment)),
  endpoint("POST", "experiments/delete", "experiment.delete", call(experiments.deleteExperiment)),
  endpoint("POST", "experiments/restore", "experiment.delete", call(experiments.restoreExperiment)),
  endpoint("POST", "experiments/set-experiment-tag", "experiment.write", call(experiments.setExperimentTag)),
  endpoint("POST", "experiments/delete-experiment-tag", "experiment.write", call(experiments.deleteExperimentTag)),

  // Runs
  endpoint("POST", "runs/create", "run.write", call(runs.createRun, "run")),
  endpoint("GET", "runs/get", read, call(runs.getRun, "run")),
  endpoint("POST", "runs/update", "run.write", call(runs.updateRun, "runInfo")),
  endpoint("POST", "runs/delete", "run.delete", call(runs.deleteRun)),
  endpoint("POST", "runs/restore", "run.delete", call(runs.restoreRun)),
  endpoint("POST", "runs/set-tag", "run.write", call(runs.setRunTag)),
  endpoint("POST", "runs/delete-tag", "run.write", call(runs.deleteRunTag)),
  endpoint("POST", "runs/log-metric", "run.write", call(logging.logMetric)),
  endpoint("POST", "runs/log-parameter", "run.write", call(logging.logParam)),
  endpoint("POST", "runs/log-batch", "run.write", call(logging.logBatch)),
  endpoint("POST", "runs/log-inputs", "run.write", call(logInputs)),
  endpoint("POST", "runs/outputs", "run.write", call(logOutputs)),
  endpoint("POST", "runs/log-model", "run.write", call(logModelHistory)),
  endpoint("POST", "runs/search", read, call(search.searchRuns)),
  endpoint("GET", "runs/search", read, call(search.searchRuns), ["experiment_ids", "order_by"]),
  endpoint("GET", "metrics/get-history", read, call(streamHistory)),
  endpoint("GET", "artifacts/list", read, call(listRunArtifacts)),

  // MLflow 3 logged models
  endpoint("POST", "logged-models", "run.write", call(logged.createLoggedModel, "model")),
  endpoint("POST", "logged-models/search", read, call(logged.searchLoggedModels)),
  endpoint("GET", "logged-models/:modelId", read, call(logged.getLoggedModel, "model")),
  endpoint("PATCH", "logged-models/:modelId", "run.write", call(logged.finalizeLoggedModel, "model")),
  endpoint("DELETE", "logged-models/:modelId", "run.delete", call(logged.deleteLoggedModel)),
  endpoint("PATCH", "logged-models/:modelId/tags", "run.write", call(logged.setLoggedModelTags)),
  endpoint("DELETE", "logged-models/:modelId/tags/*key", "run.write", call(logged.deleteLoggedModelTag)),
  endpoint("POST", "logged-models/:modelId/params", "run.write", call(logged.logLoggedModelParams)),

  // Registered models
  endpoint("POST", "registered-models/create", "model.write", call(models.createRegisteredModel, "registeredModel")),
  endpoint("GET", "registered-models/get", read, call(models.getRegisteredModel, "registeredModel")),
  endpoint("POST", "registered-models/rename", "model.write", call(models.renameRegisteredModel, "registeredModel")),
  endpoint("PATCH", "registered-models/update", "model.write", call(models.updateRegisteredModel, "registeredModel")),
  endpoint("DELETE", "registered-models/delete", "model.delete", call(models.deleteRegisteredModel)),
  endpoint("GET", "registered-models/search", read, call(registrySearch.searchRegisteredModels), ["order_by"]),
  endpoint("POST", "registered-models/search", read, call(registrySearch.searchRegisteredModels)),
  endpoint("POST", "registered-models/get-latest-versions", read, call(versions.getLatestVersions, "modelVersions")),
  endpoint("GET", "registered-models/get-latest-versions", read, call(versions.getLatestVersions, "modelVersions"), ["stages"]),
  endpoint("POST", "registered-models/set-tag", "model.write", call(models.setRegisteredModelTag)),
  endpoint("DELETE", "registered-models/delete-tag", "model.write", call(models.deleteRegisteredModelTag)),
  endpoint("POST", "registered-models/alias", "model.write", call(targets.setAlias)),
  endpoint("DELETE", "registered-models/alias", "model.write", call(targets.deleteAlias)),
  endpoint("GET", "registered-models/alias", read, call(targets.getVersionByAlias, "modelVersion")),

  // Model versions
  endpoint("POST", "model-versions/create", "model.write", call(versions.createModelVersion, "modelVersion")),
  endpoint("GET", "model-versions/get", read, call(versions.getModelVersion, "modelVersion")),
  endpoint("PATCH", "model-versions/update", "model.write", call(versions.updateModelVersion, "modelVersion")),
  endpoint("DELETE", "model-versions/delete", "model.delete", call(versions.deleteModelVersion)),
  endpoint("GET", "model-versions/search", read, call(registrySearch.searchModelVersions), ["order_by"]),
  endpoint("POST", "model-versions/search", read, call(registrySearch.searchModelVersions)),
  endpoint("POST", "model-versions/transition-stage", "model.write", call(targets.transitionStage, "modelVersion")),
  endpoint("GET", "model-versions/get-download-uri", read, call(versions.getDownloadUri)),
  endpoint("POST", "model-versions/set-tag", "model.write", call(versions.setModelVersionTag)),
  endpoint("DELETE", "model-versions/delete-tag", "model.write", call(versions.deleteModelVersionTag)),
];

export type Match = { endpoint: Endpoint; params: Record<string, string> };

/** Finds the endpoint for a method and path; `allowed` lists the methods the path does accept. */
export function matchEndpoint(method: string, segments: string[]): { match: Match | null; allowed: string[] } {
  const allowed: string[] = [];
  for (const candidate of ENDPOINTS) {
    const params = matchPath(candidate.path.split("/"), segments);
    if (!params) continue;
    if (candidate.method === method) return { match: { endpoint: candidate, params }, allowed };
    allowed.push(candidate.method);
  }
  return { match: null, allowed };
}

function matchPath(pattern: string[], segments: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i]!;
    if (part.startsWith("*")) {
      if (i >= segments.length) return null;
      params[part.slice(1)] = segments.slice(i).join("/");
      return params;
    }
    const segment = segments[i];
    if (segment === undefined) return null;
    if (part.startsWith(":")) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return pattern.length === segments.length ? params : null;
}

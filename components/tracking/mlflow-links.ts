import { compareHref } from "../compare/compare-data";
import { modelHref, runHref, versionHref } from "../registry/format";
import { DEFAULT_VIEW, viewHref } from "@/server/services/tracking/run-view-state";

/**
 * MLflow's UI keeps its routes in the URL fragment (`<tracking URI>/#/experiments/1/runs/<id>`),
 * so the links the MLflow client prints ("View run … at", "View experiment at", the evaluation
 * results) reach Cairn as the project overview with a fragment the server never sees. This maps
 * such a fragment to the Cairn page of the same object. Pure: unit-tested in
 * tests/unit/mlflow-links.test.ts, used by the overview page in the browser.
 *
 * Shapes understood (MLflow 1.x to 3.x route tables; a `?workspace=` or `?o=` query is ignored):
 *   #/  #/experiments                               → the project overview
 *   #/experiments/<id>[/<tab>][?searchFilter=…]     → the experiment (its runs, filtered); any tab,
 *                                                     as in MLflow (runs, traces, `s` for a shared search, …)
 *   #/experiments/<id>/evaluation-runs?selectedRunUuid=<run> → the run
 *   #/experiments/<id>/runs/<run>[/<tab>]           → the run
 *   #/experiments/<id>/runs/<run>/artifacts/<path>  → the run, with the artifact open
 *   #/experiments/<id>/runs/<run>/artifactPath/<path> (likewise)
 *   #/experiments/<id>/models/<model id>[/<tab>]    → the logged model (MLflow 3)
 *   #/runs/<run>                                    → the run
 *   #/compare-runs?runs=[…]&experiments=[…]         → compare (one run: the run)
 *   #/metric[/<key>]?runs=[…]&…                     → compare, or the run's charts
 *   #/compare-experiments[/s]?experiments=[…]       → the runs of those experiments
 *   #/models                                        → the model registry
 *   #/models/<name>[/<subpage>]                     → the registered model
 *   #/models/<name>/versions/<version>              → the model version
 *   #/compare-model-versions?name="<name>"&runs=…   → the registered model
 * Databricks' `#mlflow/…` spelling is read the same way.
 */

export type MlflowLinkTarget =
  /** The Cairn page for the object the link names. */
  | { kind: "page"; path: string }
  /** An MLflow route Cairn has no page for (prompts, traces, the gateway, …). */
  | { kind: "unknown"; route: string };

/** A path segment as MLflow wrote it, decoded; a malformed escape is kept as written. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A list parameter: MLflow writes JSON arrays (`["a","b"]`); a bare comma list is accepted too. */
function listParam(query: URLSearchParams, name: string): string[] {
  const raw = query.get(name);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed)) return parsed.filter((item): item is string => typeof item === "string" && item !== "");
    return typeof parsed === "string" && parsed ? [parsed] : [];
  } catch {
    return raw
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  }
}

/** `compare-model-versions` writes the name as a JSON string of its URI-encoded form. */
function modelNameParam(query: URLSearchParams): string | null {
  const raw = query.get("name");
  if (!raw) return null;
  let name: unknown = raw;
  try {
    name = JSON.parse(raw);
  } catch {
    // a bare name
  }
  return typeof name === "string" && name ? decodeSegment(name) : null;
}

/**
 * The Cairn page an MLflow UI fragment (`location.hash`) names in project `slug`; null when the
 * fragment is not an MLflow route at all (no fragment, or an ordinary `#anchor`).
 */
export function mlflowLinkTarget(slug: string, hash: string): MlflowLinkTarget | null {
  const route = hash.startsWith("#/") ? hash.slice(1) : hash.startsWith("#mlflow/") ? hash.slice("#mlflow".length) : null;
  if (route === null) return null;
  const mark = route.indexOf("?");
  const query = new URLSearchParams(mark < 0 ? "" : route.slice(mark + 1));
  const segments = (mark < 0 ? route : route.slice(0, mark)).split("/").filter(Boolean).map(decodeSegment);
  // A dot segment would walk out of the page it names once the browser resolves the path.
  if (segments.some((s) => s === "." || s === "..")) return { kind: "unknown", route };

  const base = `/p/${slug}`;
  const page = (path: string): MlflowLinkTarget => ({ kind: "page", path });
  const unknown: MlflowLinkTarget = { kind: "unknown", route };
  const runPage = (runId: string) => runHref(slug, encodeURIComponent(runId));
  const runsOf = (runIds: string[]) => (runIds.length === 1 ? page(runPage(runIds[0]!)) : runIds.length > 1 ? page(compareHref(slug, runIds)) : unknown);
  const [head, ...rest] = segments;

  switch (head) {
    case undefined:
      return page(base);
    case "experiments": {
      const [experimentId, tab, id, ...more] = rest;
      if (experimentId === undefined) return page(base);
      const experiment = `${base}/experiments/${encodeURIComponent(experimentId)}`;
      if (tab === "runs" && id !== undefined) return page(runWithArtifact(runPage(id), more));
      if (tab === "models" && id !== undefined) return page(`${base}/logged-models/${encodeURIComponent(id)}`);
      const selected = query.get("selectedRunUuid");
      if (selected) return page(runPage(selected));
      // Any other tab (runs, traces, evaluation-runs, the shared search `s`, …) is the experiment.
      return page(viewHref(experiment, { ...DEFAULT_VIEW, query: query.get("searchFilter") ?? query.get("searchInput") ?? "" }));
    }
    case "runs":
      return rest[0] === undefined ? unknown : page(runPage(rest[0]));
    case "compare-runs":
    case "metric":
      return runsOf(listParam(query, "runs"));
    case "compare-experiments": {
      const experiments = listParam(query, "experiments");
      return experiments.length ? page(viewHref(`${base}/runs`, { ...DEFAULT_VIEW, experiments })) : unknown;
    }
    case "models": {
      const [name, subpage, version] = rest;
      if (name === undefined) return page(`${base}/models`);
      return page(subpage === "versions" && version !== undefined ? versionHref(slug, name, encodeURIComponent(version)) : modelHref(slug, name));
    }
    case "compare-model-versions": {
      const name = modelNameParam(query);
      return page(name ? modelHref(slug, name) : `${base}/models`);
    }
    default:
      return unknown;
  }
}

/**
 * The run page with the artifact of an `artifacts/<path>` or `artifactPath/<path>` tab open: its
 * folder listed and, when the path is a file, the file previewed. Other tabs are the run page.
 */
function runWithArtifact(runPath: string, tab: string[]): string {
  const [name, ...parts] = tab;
  if ((name !== "artifacts" && name !== "artifactPath") || !parts.length) return runPath;
  const file = parts.join("/");
  const folder = parts.slice(0, -1).join("/");
  const params = new URLSearchParams();
  if (folder) params.set("path", folder);
  params.set("file", file);
  return `${runPath}?${params.toString()}`;
}

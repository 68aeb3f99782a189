import { describe, expect, it } from "vitest";
import { mlflowLinkTarget } from "@/components/tracking/mlflow-links";

const TRACKING_URI = "https://cairn.example.com/p/fraud";
const RUN = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const OTHER = "ffeeddccbbaa99887766554433221100";

/** Where the link lands, given the fragment exactly as the browser's `location.hash` holds it. */
const target = (link: string) => mlflowLinkTarget("fraud", new URL(link).hash);
const lands = (link: string) => {
  const result = target(link);
  return result?.kind === "page" ? result.path : result;
};

describe("MLflow UI links", () => {
  it("takes the links the tracking client prints when a run ends to the run and the experiment", () => {
    // `🏃 View run <name> at: <host>/#/experiments/<id>/runs/<run id>`, and `🧪 View experiment at: …`.
    expect(lands(`${TRACKING_URI}/#/experiments/3/runs/${RUN}`)).toBe(`/p/fraud/runs/${RUN}`);
    expect(lands(`${TRACKING_URI}/#/experiments/3`)).toBe("/p/fraud/experiments/3");
    // MLflow 3 adds the workspace for a non-default one.
    expect(lands(`${TRACKING_URI}/#/experiments/3/runs/${RUN}?workspace=team%20a`)).toBe(`/p/fraud/runs/${RUN}`);
    expect(lands(`${TRACKING_URI}/#/experiments/3?workspace=team%20a`)).toBe("/p/fraud/experiments/3");
  });

  it("takes the evaluation results link to the evaluated run", () => {
    expect(lands(`${TRACKING_URI}/#/experiments/3/evaluation-runs?selectedRunUuid=${RUN}`)).toBe(`/p/fraud/runs/${RUN}`);
  });

  it("opens the run for every run page shape and tab", () => {
    expect(lands(`${TRACKING_URI}/#/runs/${RUN}`)).toBe(`/p/fraud/runs/${RUN}`);
    for (const tab of ["overview", "model-metrics", "system-metrics", "traces", "artifacts"]) {
      expect(lands(`${TRACKING_URI}/#/experiments/0/runs/${RUN}/${tab}`)).toBe(`/p/fraud/runs/${RUN}`);
    }
  });

  it("opens the artifact a run link names: its folder listed, the file previewed", () => {
    expect(lands(`${TRACKING_URI}/#/experiments/0/runs/${RUN}/artifacts/model/MLmodel`)).toBe(`/p/fraud/runs/${RUN}?path=model&file=model%2FMLmodel`);
    expect(lands(`${TRACKING_URI}/#/experiments/0/runs/${RUN}/artifactPath/plots/roc%20curve.png`)).toBe(
      `/p/fraud/runs/${RUN}?path=plots&file=plots%2Froc+curve.png`,
    );
    expect(lands(`${TRACKING_URI}/#/experiments/0/runs/${RUN}/artifacts/notes.md`)).toBe(`/p/fraud/runs/${RUN}?file=notes.md`);
  });

  it("opens an experiment from any of its tabs, with a shared search as the runs filter", () => {
    for (const tab of ["runs", "models", "traces", "overview", "evaluation-runs", "chat-sessions"]) {
      expect(lands(`${TRACKING_URI}/#/experiments/12/${tab}`)).toBe("/p/fraud/experiments/12");
    }
    const filter = "metrics.auc > 0.9 and params.model = 'xgb'";
    const filtered = (link: string) => {
      const url = new URL(String(lands(link)), "https://cairn.example.com");
      return [url.pathname, url.searchParams.get("q")];
    };
    expect(filtered(`${TRACKING_URI}/#/experiments/12?searchFilter=${encodeURIComponent(filter)}`)).toEqual(["/p/fraud/experiments/12", filter]);
    // MLflow 1.x and 2.x: the shared-search route, and the older parameter name.
    expect(filtered(`${TRACKING_URI}/#/experiments/12/s?searchFilter=${encodeURIComponent(filter)}`)).toEqual(["/p/fraud/experiments/12", filter]);
    expect(filtered(`${TRACKING_URI}/#/experiments/12/s?searchInput=tags.team%3D'fraud'`)).toEqual(["/p/fraud/experiments/12", "tags.team='fraud'"]);
  });

  it("opens a logged model of MLflow 3", () => {
    expect(lands(`${TRACKING_URI}/#/experiments/2/models/m-8d149c56ccdb441bbe0e1b84e4345fa5`)).toBe(
      "/p/fraud/logged-models/m-8d149c56ccdb441bbe0e1b84e4345fa5",
    );
    expect(lands(`${TRACKING_URI}/#/experiments/2/models/m-8d149c56ccdb441bbe0e1b84e4345fa5/artifacts`)).toBe(
      "/p/fraud/logged-models/m-8d149c56ccdb441bbe0e1b84e4345fa5",
    );
  });

  it("opens compare for two runs or more, and the run for one", () => {
    const runs = encodeURIComponent(JSON.stringify([RUN, OTHER]));
    expect(lands(`${TRACKING_URI}/#/compare-runs?runs=${runs}&experiments=${encodeURIComponent('["1","2"]')}`)).toBe(`/p/fraud/compare?runs=${RUN},${OTHER}`);
    // The route table writes the JSON unencoded; the browser escapes the quotes itself.
    expect(lands(`${TRACKING_URI}/#/compare-runs?runs=["${RUN}","${OTHER}"]&experiments=["1"]`)).toBe(`/p/fraud/compare?runs=${RUN},${OTHER}`);
    expect(lands(`${TRACKING_URI}/#/compare-runs?runs=["${RUN}"]&experiments=["1"]`)).toBe(`/p/fraud/runs/${RUN}`);
  });

  it("opens the metric page's runs: their charts side by side, or the one run's charts", () => {
    const metric = `?runs=["${RUN}","${OTHER}"]&metric=%22loss%22&experiments=["1"]&plot_metric_keys=%5B%22loss%22%5D&plot_layout={}&x_axis=step&y_axis_scale=linear`;
    expect(lands(`${TRACKING_URI}/#/metric${metric}`)).toBe(`/p/fraud/compare?runs=${RUN},${OTHER}`);
    // MLflow 1.x put the metric key in the path.
    expect(lands(`${TRACKING_URI}/#/metric/loss?runs=["${RUN}"]&experiment=1`)).toBe(`/p/fraud/runs/${RUN}`);
  });

  it("opens the runs of compared experiments across the project", () => {
    expect(lands(`${TRACKING_URI}/#/compare-experiments/s?experiments=["1","4"]`)).toBe("/p/fraud/runs?exp=1,4");
  });

  it("opens the model registry, a registered model and a model version", () => {
    expect(lands(`${TRACKING_URI}/#/models`)).toBe("/p/fraud/models");
    expect(lands(`${TRACKING_URI}/#/models/fraud-detector`)).toBe("/p/fraud/models/fraud-detector");
    expect(lands(`${TRACKING_URI}/#/models/fraud%20detector%2Fv2/versions/7`)).toBe("/p/fraud/models/fraud%20detector%2Fv2/versions/7");
    expect(lands(`${TRACKING_URI}/#/models/fraud-detector/serving`)).toBe("/p/fraud/models/fraud-detector");
    expect(lands(`${TRACKING_URI}/#/compare-model-versions?name=${encodeURIComponent(JSON.stringify("fraud detector"))}&runs={"${RUN}":"1"}`)).toBe(
      "/p/fraud/models/fraud%20detector",
    );
  });

  it("reads Databricks' #mlflow/ spelling of the same routes", () => {
    expect(lands(`https://adb-1.azuredatabricks.net/?o=1#mlflow/experiments/3/runs/${RUN}`)).toBe(`/p/fraud/runs/${RUN}`);
    expect(lands(`https://adb-1.azuredatabricks.net/?o=1#mlflow/models/fraud-detector/versions/2`)).toBe("/p/fraud/models/fraud-detector/versions/2");
  });

  it("stays on the overview for MLflow's home and experiment list", () => {
    expect(lands(`${TRACKING_URI}/#/`)).toBe("/p/fraud");
    expect(lands(`${TRACKING_URI}/#/experiments`)).toBe("/p/fraud");
  });

  it("names the route of a link Cairn has no page for, so the overview can say so", () => {
    for (const route of ["/prompts", "/prompts/qa-prompt", "/gateway", "/runs", "/compare-runs?runs=[]", "/compare-experiments"]) {
      expect(target(`${TRACKING_URI}/#${route}`)).toEqual({ kind: "unknown", route });
    }
  });

  it("never builds a path that walks out of the page it names", () => {
    expect(target(`${TRACKING_URI}/#/runs/..%2F..%2Fsettings`)).toEqual({ kind: "page", path: "/p/fraud/runs/..%2F..%2Fsettings" });
    expect(mlflowLinkTarget("fraud", "#/experiments/../settings")).toEqual({ kind: "unknown", route: "/experiments/../settings" });
    expect(mlflowLinkTarget("fraud", "#/runs/%2E%2E")).toEqual({ kind: "unknown", route: "/runs/%2E%2E" });
    expect(mlflowLinkTarget("fraud", "#/models/%E0%A4%A/versions/1")).toEqual({ kind: "page", path: "/p/fraud/models/%25E0%25A4%25A/versions/1" });
  });

  it("leaves an address without an MLflow route alone", () => {
    expect(mlflowLinkTarget("fraud", "")).toBeNull();
    expect(mlflowLinkTarget("fraud", "#")).toBeNull();
    expect(mlflowLinkTarget("fraud", "#comments")).toBeNull();
  });
});

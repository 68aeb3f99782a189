import { describe, expect, it } from "vitest";
import { sourceHref } from "../../components/registry/format";
import { loadSnippets } from "../../components/registry/load-snippets";

const uri = "https://cairn.example.com/p/fraud";

describe("loadSnippets", () => {
  it("loads by version, and by the first alias when there is one, and serves the alias", () => {
    const { python, shell } = loadSnippets({ trackingUri: uri, name: "fraud-detector", version: 3, aliases: ["champion", "shadow"] });
    expect(python).toContain('mlflow.set_tracking_uri("https://cairn.example.com/p/fraud")');
    expect(python).toContain('mlflow.pyfunc.load_model("models:/fraud-detector/3")');
    expect(python).toContain('mlflow.pyfunc.load_model("models:/fraud-detector@champion")');
    expect(shell).toBe(
      [
        "export MLFLOW_TRACKING_URI=https://cairn.example.com/p/fraud",
        "export MLFLOW_TRACKING_TOKEN=<your Cairn access token>",
        'mlflow models serve -m "models:/fraud-detector@champion" -p 5001',
      ].join("\n"),
    );
  });

  it("serves the version itself when no alias points at it", () => {
    const { python, shell } = loadSnippets({ trackingUri: uri, name: "churn", version: 1, aliases: [] });
    expect(python).not.toContain("@");
    expect(shell).toContain('mlflow models serve -m "models:/churn/1" -p 5001');
  });

  it("quotes names that Python or the shell would otherwise read differently", () => {
    const { python, shell } = loadSnippets({ trackingUri: uri, name: 'say "hi" $HOME', version: 2, aliases: [] });
    expect(python).toContain('load_model("models:/say \\"hi\\" $HOME/2")');
    expect(shell).toContain(`-m 'models:/say "hi" $HOME/2' -p 5001`);
  });
});

describe("sourceHref", () => {
  it("links an MLflow 3 logged-model source to its page and a runs:/ source to the run", () => {
    expect(sourceHref("p", "models:/m-0123456789abcdef0123456789abcdef")).toBe("/p/p/logged-models/m-0123456789abcdef0123456789abcdef");
    expect(sourceHref("p", "runs:/0123456789abcdef0123456789abcdef/model")).toBe("/p/p/runs/0123456789abcdef0123456789abcdef");
    expect(sourceHref("p", "runs:/0123456789abcdef0123456789abcdef")).toBe("/p/p/runs/0123456789abcdef0123456789abcdef");
  });

  it("links the store URIs MLflow 2.x registers to the same pages", () => {
    expect(sourceHref("p", "mlflow-artifacts:/3/0123456789abcdef0123456789abcdef/artifacts/model")).toBe("/p/p/runs/0123456789abcdef0123456789abcdef");
    expect(sourceHref("p", "mlflow-artifacts:/3/models/m-0123456789abcdef0123456789abcdef/artifacts")).toBe(
      "/p/p/logged-models/m-0123456789abcdef0123456789abcdef",
    );
  });

  it("leaves other sources (a registry name, a bucket, an unknown store path) unlinked", () => {
    expect(sourceHref("p", "models:/fraud/3")).toBeNull();
    expect(sourceHref("p", "s3://bucket/model")).toBeNull();
    expect(sourceHref("p", "mlflow-artifacts:/1/abc/artifacts/model")).toBeNull();
  });
});

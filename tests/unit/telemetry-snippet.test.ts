import { describe, expect, it } from "vitest";
import { telemetrySnippet } from "../../server/services/monitoring/snippet";

describe("telemetrySnippet", () => {
  it("loads the alias, posts records and labels to the project's monitoring API with the token from the environment", () => {
    const python = telemetrySnippet({ origin: "https://cairn.example.com/", slug: "fraud", model: "fraud-detector", alias: "champion" });
    expect(python).toContain('CAIRN = "https://cairn.example.com/p/fraud/api/monitoring/v1"');
    expect(python).toContain('MODEL, ALIAS = "fraud-detector", "champion"');
    expect(python).toContain('mlflow.pyfunc.load_model(f"models:/{MODEL}@{ALIAS}")');
    expect(python).toContain("os.environ['CAIRN_TOKEN']");
    expect(python).toContain('f"{CAIRN}/records"');
    expect(python).toContain('f"{CAIRN}/labels"');
  });

  it("quotes names Python would otherwise read differently", () => {
    const python = telemetrySnippet({ origin: "http://localhost:3000", slug: "p", model: 'say "hi"', alias: "a\\b" });
    expect(python).toContain('MODEL, ALIAS = "say \\"hi\\"", "a\\\\b"');
  });
});

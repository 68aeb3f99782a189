import { describe, expect, it } from "vitest";
import { parseMlmodel } from "../../server/services/registry/mlmodel";

// As mlflow.sklearn.log_model(..., signature=infer_signature(X, y), input_example=X[:3]) writes it (MLflow 2.x/3.x).
const SKLEARN = `artifact_path: model
flavors:
  python_function:
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.11.9
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.5.1
mlflow_version: 2.16.0
model_size_bytes: 1041
model_uuid: 0b4f1f8e1c8d4c8a9a3b2f0e6d5c4b3a
run_id: 7f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99
saved_input_example_info:
  artifact_path: input_example.json
  pandas_orient: split
  serving_input_path: serving_input_example.json
  type: dataframe
signature:
  inputs: '[{"type": "double", "name": "sepal length (cm)", "required": true}, {"type": "double", "name": "petal width (cm)", "required": false}]'
  outputs: '[{"type": "long", "required": true}]'
  params: '[{"name": "threshold", "type": "double", "default": 0.5, "shape": null}]'
utc_time_created: '2024-09-01 10:00:00.000000'
`;

describe("parseMlmodel", () => {
  it("reads flavors in order, the column signature, its params and the input example's path", () => {
    expect(parseMlmodel(SKLEARN)).toEqual({
      flavors: ["python_function", "sklearn"],
      signature: {
        inputs: [
          { name: "sepal length (cm)", type: "double", required: true },
          { name: "petal width (cm)", type: "double", required: false },
        ],
        outputs: [{ name: null, type: "long", required: true }],
        params: [{ name: "threshold", type: "double", default: "0.5" }],
      },
      inputExamplePath: "input_example.json",
      mlflowVersion: "2.16.0",
    });
  });

  it("spells tensor, array, object and map types", () => {
    const inputs = JSON.stringify([
      { type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 28, 28] }, name: "image" },
      { type: "array", items: { type: "string" }, name: "tokens" },
      { type: "object", properties: { a: { type: "long" }, b: { type: "array", items: { type: "double" } } }, name: "record" },
      { type: "map", values: { type: "string" }, name: "headers" },
    ]);
    const parsed = parseMlmodel(`flavors:\n  pytorch: {}\nsignature:\n  inputs: '${inputs}'\n  outputs: null\n`);
    expect(parsed?.signature?.inputs.map((f) => f.type)).toEqual([
      "tensor float32 (-1, 28, 28)",
      "array<string>",
      "object{a: long, b: array<double>}",
      "map<string, string>",
    ]);
    expect(parsed?.signature?.outputs).toEqual([]);
    expect(parsed?.signature?.params).toEqual([]);
  });

  it("has no signature, example or version when the model was logged without them", () => {
    expect(parseMlmodel("artifact_path: model\nflavors:\n  xgboost:\n    xgb_version: 2.0.0\n")).toEqual({
      flavors: ["xgboost"],
      signature: null,
      inputExamplePath: null,
      mlflowVersion: null,
    });
  });

  it("reads a signature part that is not valid JSON as empty instead of failing", () => {
    expect(parseMlmodel("signature:\n  inputs: '[{not json'\n  outputs: '[{\"type\": \"string\"}]'\n")?.signature).toEqual({
      inputs: [],
      outputs: [{ name: null, type: "string", required: true }],
      params: [],
    });
  });

  it("is null for text that is not a YAML mapping", () => {
    expect(parseMlmodel("- just\n- a list\n")).toBeNull();
    expect(parseMlmodel("flavors: [unclosed")).toBeNull();
    expect(parseMlmodel("")).toBeNull();
  });
});

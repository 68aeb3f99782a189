import { parse } from "yaml";

/**
 * Reading an MLflow `MLmodel` file: the YAML MLflow writes beside every saved model. Pure, so the
 * registry and its tests share one reading (tests/unit/mlmodel.test.ts). A file MLflow did not
 * write, or a field in a shape it never uses, reads as absent rather than failing the page.
 */

/** One column, tensor or parameter of a signature, with its type spelled as MLflow's docs spell it. */
export type SignatureField = { name: string | null; type: string; required: boolean };
type SignatureParam = { name: string; type: string; default: string | null };
export type Signature = { inputs: SignatureField[]; outputs: SignatureField[]; params: SignatureParam[] };

export type Mlmodel = {
  flavors: string[];
  signature: Signature | null;
  /** Where `log_model(input_example=…)` saved the example, relative to the model's directory. */
  inputExamplePath: string | null;
  mlflowVersion: string | null;
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === "string" && value ? value : null);

/** A type as a short expression: "double", "tensor float64 (-1, 4)", "array<string>", "object{a: long}". */
function typeOf(spec: Json): string {
  if (spec.type === "tensor" && isObject(spec["tensor-spec"])) {
    const tensor = spec["tensor-spec"];
    const shape = Array.isArray(tensor.shape) ? ` (${tensor.shape.join(", ")})` : "";
    return `tensor ${String(tensor.dtype ?? "?")}${shape}`;
  }
  if (spec.type === "array" && isObject(spec.items)) return `array<${typeOf(spec.items)}>`;
  if (spec.type === "map" && isObject(spec.values)) return `map<string, ${typeOf(spec.values)}>`;
  if (spec.type === "object" && Array.isArray(spec.properties)) {
    return `object{${spec.properties
      .filter(isObject)
      .map((p) => `${String(p.name)}: ${typeOf(p)}`)
      .join(", ")}}`;
  }
  if (spec.type === "object" && isObject(spec.properties)) {
    return `object{${Object.entries(spec.properties)
      .map(([name, p]) => `${name}: ${isObject(p) ? typeOf(p) : "?"}`)
      .join(", ")}}`;
  }
  return typeof spec.type === "string" ? spec.type : "?";
}

/** MLflow stores each part of a signature as a JSON string inside the YAML. */
function jsonList(value: unknown): Json[] | null {
  if (typeof value !== "string") return Array.isArray(value) ? value.filter(isObject) : null;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter(isObject) : null;
  } catch {
    return null;
  }
}

function fieldsOf(value: unknown): SignatureField[] {
  return (jsonList(value) ?? []).map((spec) => ({ name: text(spec.name), type: typeOf(spec), required: spec.required !== false }));
}

function signatureOf(value: unknown): Signature | null {
  if (!isObject(value)) return null;
  const signature = {
    inputs: fieldsOf(value.inputs),
    outputs: fieldsOf(value.outputs),
    params: (jsonList(value.params) ?? []).map((p) => ({
      name: String(p.name ?? ""),
      type: typeOf(p),
      default: p.default === undefined || p.default === null ? null : JSON.stringify(p.default),
    })),
  };
  return signature.inputs.length || signature.outputs.length || signature.params.length ? signature : null;
}

/** Parses an MLmodel file; null when it is not a YAML mapping. */
export function parseMlmodel(source: string): Mlmodel | null {
  let document: unknown;
  try {
    document = parse(source);
  } catch {
    return null;
  }
  if (!isObject(document)) return null;
  const example = document.saved_input_example_info;
  return {
    flavors: isObject(document.flavors) ? Object.keys(document.flavors) : [],
    signature: signatureOf(document.signature),
    inputExamplePath: isObject(example) ? text(example.artifact_path) : null,
    mlflowVersion: text(document.mlflow_version),
  };
}

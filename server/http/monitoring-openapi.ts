import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { telemetrySnippet } from "../services/monitoring/snippet";

/** The names the written document uses in its example; the served one uses the project's own. */
export const SPEC_EXAMPLE = { origin: "https://cairn.example.com", slug: "my-project", model: "my-model", alias: "champion" };

type Spec = { info: { description: string }; servers: { url: string; description?: string }[] };

let spec: Spec | null = null;

/** openapi/monitoring.yaml, parsed once per process. */
function writtenSpec(): Spec {
  spec ??= parse(readFileSync(path.join(process.cwd(), "openapi/monitoring.yaml"), "utf8")) as Spec;
  return spec;
}

/** The monitoring API's OpenAPI document addressed to one project: its server URL and its Python snippet. */
export function monitoringOpenApi(origin: string, slug: string): Spec {
  const written = writtenSpec();
  const base = `${origin}/p/${slug}/api/monitoring/v1`;
  const description = written.info.description.replace(telemetrySnippet(SPEC_EXAMPLE), telemetrySnippet({ ...SPEC_EXAMPLE, origin, slug }));
  return { ...written, info: { ...written.info, description }, servers: [{ url: base, description: "This project's monitoring API" }] };
}

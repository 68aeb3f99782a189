/**
 * The "How to load" snippets of a model version page: the Python that loads it through the
 * registry and the shell that serves it, against the project's tracking URI. Pure, so the quoting
 * is unit-tested (tests/unit/load-snippets.test.ts).
 */

/** A Python string literal (JSON's escapes are valid Python for any text). */
const python = (text: string) => JSON.stringify(text);

/** A shell word in double quotes, or in single quotes when it holds a character double quotes would expand. */
const shell = (text: string) => (/["$`\\!]/.test(text) ? `'${text.replaceAll("'", `'\\''`)}'` : `"${text}"`);

export function loadSnippets(input: { trackingUri: string; name: string; version: number; aliases: string[] }) {
  const byVersion = `models:/${input.name}/${input.version}`;
  const alias = input.aliases[0];
  const byAlias = alias ? `models:/${input.name}@${alias}` : null;
  const pythonCode = [
    "import mlflow",
    "",
    `mlflow.set_tracking_uri(${python(input.trackingUri)})  # or MLFLOW_TRACKING_URI`,
    `model = mlflow.pyfunc.load_model(${python(byVersion)})`,
    ...(byAlias ? ["", `# Or by alias, to follow @${alias} wherever it moves:`, `model = mlflow.pyfunc.load_model(${python(byAlias)})`] : []),
  ].join("\n");
  const shellCode = [
    `export MLFLOW_TRACKING_URI=${input.trackingUri}`,
    "export MLFLOW_TRACKING_TOKEN=<your Cairn access token>",
    `mlflow models serve -m ${shell(byAlias ?? byVersion)} -p 5001`,
  ].join("\n");
  return { python: pythonCode, shell: shellCode };
}

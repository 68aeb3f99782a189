import Link from "next/link";
import { CopyBlock } from "../ui/copy-block";

/** How to point an unchanged MLflow training script at this project. */
export function MlflowSnippet({ trackingUri, slug }: { trackingUri: string; slug: string }) {
  const shell = `export MLFLOW_TRACKING_URI=${trackingUri}\nexport MLFLOW_TRACKING_TOKEN=<your Cairn access token>`;
  const python = `import mlflow

mlflow.set_experiment("my-experiment")
with mlflow.start_run():
    mlflow.log_param("lr", 0.01)
    for step in range(100):
        mlflow.log_metric("loss", 1 / (step + 1), step=step)`;
  return (
    <div className="space-y-3">
      <p className="text-sm text-stone-600 dark:text-stone-400">
        Any script using the official <code>mlflow</code> client logs here unchanged. Set two variables, using an{" "}
        <Link href={`/settings/tokens?project=${slug}`} className="font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-100">
          access token
        </Link>{" "}
        (or <code>MLFLOW_TRACKING_USERNAME</code>/<code>MLFLOW_TRACKING_PASSWORD</code> with the token as password):
      </p>
      <CopyBlock label="Environment" code={shell} />
      <CopyBlock label="Python" code={python} />
    </div>
  );
}

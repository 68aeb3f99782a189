import { CopyBlock } from "../ui/copy-block";

/** The empty state's how-to: the copy-paste Python that sends a served model's traffic, and where the API is described. */
export function StartSending(props: { slug: string; snippet: string; title: string }) {
  return (
    <div className="space-y-3">
      <div>
        <h3 className="text-sm font-semibold">{props.title}</h3>
        <p className="mt-1 text-sm text-stone-600 dark:text-stone-400">
          Wrap the served model&apos;s <code>predict</code> so each call posts its inputs and predictions, and post ground-truth labels later by record id.
          Create a{" "}
          <a href="/settings/tokens" className="text-brand-700 hover:underline dark:text-brand-100">
            token
          </a>{" "}
          for the project and export it as <code>CAIRN_TOKEN</code>. Drift needs a reference for the version (a table its training run logged, or rows you{" "}
          <code>PUT</code> to <code>reference</code>). The whole API is described in{" "}
          <a href={`/p/${props.slug}/api/monitoring/v1/openapi.json`} className="text-brand-700 hover:underline dark:text-brand-100">
            OpenAPI
          </a>
          .
        </p>
      </div>
      <CopyBlock label="Python: send predictions and labels" code={props.snippet} />
    </div>
  );
}

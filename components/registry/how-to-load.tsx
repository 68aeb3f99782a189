import { CopyBlock } from "../ui/copy-block";
import { loadSnippets } from "./load-snippets";

/** How to load and serve a version with the MLflow client, pointed at this project. */
export function HowToLoad(props: { trackingUri: string; name: string; version: number; aliases: string[] }) {
  const snippets = loadSnippets(props);
  return (
    <div className="space-y-3">
      <CopyBlock label="Python" code={snippets.python} />
      <CopyBlock label="Serve" code={snippets.shell} />
    </div>
  );
}

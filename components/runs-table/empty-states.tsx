import { FlaskConical, SearchX, Trash2 } from "lucide-react";
import type { ReactNode } from "react";
import { isFiltered, type RunsView } from "@/server/services/tracking/run-view-state";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";

/** What the table area shows instead of runs: a message, with an action when one helps. */
export function Placeholder(props: { icon?: ReactNode; title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <div className="p-6">
      <EmptyState {...props} />
    </div>
  );
}

/** An empty table: nothing matches the filters, nothing is deleted, or nothing was ever logged. */
export function NoRuns({ view, onClear, emptyHelp }: { view: RunsView; onClear: () => void; emptyHelp?: ReactNode }) {
  if (isFiltered(view)) {
    return (
      <Placeholder
        icon={<SearchX className="size-7" />}
        title="No runs match"
        description="No run in view passes these filters."
        action={
          <Button variant="secondary" onClick={onClear}>
            Clear filters
          </Button>
        }
      />
    );
  }
  if (view.lifecycle === "deleted")
    return <Placeholder icon={<Trash2 className="size-7" />} title="No deleted runs" description="Runs you delete appear here until they are purged." />;
  return (
    <div className="p-6">
      <EmptyState
        icon={<FlaskConical className="size-7" />}
        title="No runs yet — log one with MLflow"
        description="Runs appear here as soon as a training script logs one."
      />
      {emptyHelp && <div className="mx-auto mt-6 max-w-2xl">{emptyHelp}</div>}
    </div>
  );
}

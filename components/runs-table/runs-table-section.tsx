import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { load, serverCaller } from "@/server/api/caller";
import { publicOrigin } from "@/server/http/public-origin";
import { MlflowSnippet } from "../tracking/mlflow-snippet";
import { RunsTable } from "./runs-table";
import type { RunsTableInitial } from "./use-runs-data";
import { parseViewState, tableQueries, viewHref, type RunsView } from "@/server/services/tracking/run-view-state";

type SearchParams = Record<string, string | string[] | undefined>;

type Caller = Awaited<ReturnType<typeof serverCaller>>;

/**
 * The view's first window (or its groups) and default columns, read through the same procedures
 * the browser then calls. The key catalogue is left to the browser: 10,000 keys would add 140 KB to
 * the document, and the first rows do not need them.
 */
async function firstWindow(api: Caller, view: RunsView, scope: { slug: string; experimentId?: string }): Promise<RunsTableInitial> {
  const initial: RunsTableInitial = { view, defaults: null, rows: null, groups: null, error: null };
  try {
    const unresolved = tableQueries(view, scope, undefined);
    const defaults = unresolved.defaults ? (await api.runsTable.defaultColumns(unresolved.defaults)).columns : null;
    // Rows are fetched with the columns shown, so with the default columns they wait for those.
    const queries = tableQueries(view, scope, defaults ?? undefined);
    const [rows, groups] = await Promise.all([
      queries.groups ? null : api.runsTable.rows(queries.rows(0)),
      queries.groups ? api.runsTable.groups(queries.groups) : null,
    ]);
    Object.assign(initial, { defaults, rows, groups });
  } catch (error) {
    if (!(error instanceof TRPCError && error.code === "BAD_REQUEST")) throw error;
    initial.error = error.message;
  }
  return initial;
}

/**
 * The runs table as a Server Component: reads the view from the URL, renders its first window (or
 * its groups) through the same procedures the browser then calls, and hands over to the client
 * table. A filter that does not parse renders the table with the error under the search box.
 */
export async function RunsTableSection({ slug, experimentId, searchParams }: { slug: string; experimentId?: string; searchParams: SearchParams }) {
  const view = parseViewState(searchParams);
  const api = await serverCaller();
  const returnTo = viewHref(experimentId === undefined ? `/p/${slug}/runs` : `/p/${slug}/experiments/${experimentId}`, view);
  // The first window does not wait for the project and its experiments: all three are read at once.
  const [[project, experiments], initial] = await load(
    () =>
      Promise.all([
        Promise.all([api.project.get({ projectSlug: slug }), api.experiment.names({ projectSlug: slug })]),
        firstWindow(api, view, { slug, experimentId }),
      ]),
    returnTo,
  );

  return (
    <RunsTable
      slug={slug}
      experimentId={experimentId}
      experiments={experiments}
      canDelete={project.permissions.includes("run.delete")}
      primaryKey={project.primaryMetricKey}
      canSaveLayout={project.permissions.includes("layout.save")}
      initial={initial}
      emptyHelp={<MlflowSnippet trackingUri={`${publicOrigin(await headers())}/p/${slug}`} slug={slug} />}
    />
  );
}

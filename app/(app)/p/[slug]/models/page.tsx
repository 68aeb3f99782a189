import { Boxes, SearchX } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { ModelList } from "@/components/registry/model-list";
import { ModelSearchForm, type ModelFilters } from "@/components/registry/model-search-form";
import { buttonClass } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { CopyBlock } from "@/components/ui/copy-block";
import { EmptyState } from "@/components/ui/empty-state";
import { firstParam as one } from "@/components/ui/list-query";
import { load, serverCaller } from "@/server/api/caller";
import { publicOrigin } from "@/server/http/public-origin";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Models · ${(await params).slug}` };
}

const PAGE = 50;
const day = (v: string | undefined, end: boolean) => {
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const date = new Date(`${v}T${end ? "23:59:59.999" : "00:00:00.000"}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** The project's model registry: search by name, tag, framework and training date. */
export default async function ModelsPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const search = await searchParams;
  const filters: ModelFilters = {
    q: one(search.q),
    tag: one(search.tag),
    framework: one(search.framework),
    after: one(search.after),
    before: one(search.before),
  };
  const page = Math.max(1, Number(one(search.page)) || 1);
  const [key, ...rest] = (filters.tag ?? "").split("=");
  const tag = filters.tag && key?.trim() ? { key: key.trim(), value: rest.length ? rest.join("=").trim() : undefined } : undefined;
  const path = `/p/${slug}/models`;

  const api = await serverCaller();
  const [list, frameworks] = await load(
    () =>
      Promise.all([
        api.registry.models({
          projectSlug: slug,
          query: filters.q,
          tag,
          framework: filters.framework,
          trainedAfter: day(filters.after, false),
          trainedBefore: day(filters.before, true),
          limit: PAGE,
          offset: (page - 1) * PAGE,
        }),
        api.registry.frameworks({ projectSlug: slug }),
      ]),
    path,
  );
  const filtered = Object.values(filters).some(Boolean);
  const pageHref = (n: number) => {
    const query = new URLSearchParams(Object.entries({ ...filters, page: n > 1 ? String(n) : undefined }).filter((e): e is [string, string] => Boolean(e[1])));
    return query.size ? `${path}?${query}` : path;
  };

  if (!filtered && list.total === 0) {
    const trackingUri = `${publicOrigin(await headers())}/p/${slug}`;
    return (
      <div className="space-y-6">
        <h2 className="sr-only">Models</h2>
        <EmptyState
          icon={<Boxes className="size-8" />}
          title="No registered models yet"
          description="Register a model when you log it from a training run, or register a run's model afterwards. Every version keeps a link to the run that trained it."
        />
        <Card>
          <CardBody className="space-y-4">
            <CopyBlock
              label="Register while logging (Python, MLflow 3)"
              code={`import mlflow

mlflow.set_tracking_uri("${trackingUri}")  # or MLFLOW_TRACKING_URI

with mlflow.start_run():
    model.fit(X_train, y_train)
    mlflow.log_metric("auc", auc)
    # MLflow 2.x clients: artifact_path="model" instead of name="model"
    mlflow.sklearn.log_model(model, name="model", registered_model_name="fraud-model")`}
            />
            <CopyBlock label="Register an existing run's model" code={`mlflow.register_model("runs:/<run_id>/model", "fraud-model")`} />
            <p className="text-sm text-stone-500 dark:text-stone-400">
              Authenticate with <code className="font-mono text-xs">MLFLOW_TRACKING_TOKEN</code> set to an access token (Account menu → Access tokens).
            </p>
          </CardBody>
        </Card>
      </div>
    );
  }

  const from = (page - 1) * PAGE + 1;
  const to = (page - 1) * PAGE + list.models.length;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold tracking-tight">Registered models</h2>
          <p className="text-sm text-stone-500 dark:text-stone-400">
            {filtered ? `${list.total} matching` : `${list.total} in this project`} · versions, aliases and stages, with who approved what
          </p>
        </div>
      </div>
      <Card>
        <CardBody className="border-b border-stone-200 dark:border-stone-800">
          <ModelSearchForm action={path} filters={filters} frameworks={frameworks} />
        </CardBody>
        {list.models.length ? (
          <ModelList slug={slug} models={list.models} />
        ) : (
          <div className="p-5">
            <EmptyState
              icon={<SearchX className="size-7" />}
              title="No models match"
              description="Try a shorter name, another tag or a wider training window."
              action={
                <Link href={path} className={buttonClass("secondary", "sm")}>
                  Clear filters
                </Link>
              }
            />
          </div>
        )}
        {list.total > PAGE && (
          <nav aria-label="Pages" className="flex items-center justify-between px-5 py-3 text-sm text-stone-500">
            <span>
              {from}–{to} of {list.total}
            </span>
            <span className="flex gap-2">
              {page > 1 && (
                <Link href={pageHref(page - 1)} className={buttonClass("secondary", "sm")}>
                  Previous
                </Link>
              )}
              {to < list.total && (
                <Link href={pageHref(page + 1)} className={buttonClass("secondary", "sm")}>
                  Next
                </Link>
              )}
            </span>
          </nav>
        )}
      </Card>
    </div>
  );
}

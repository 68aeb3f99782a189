"use client";

import { Info } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo } from "react";
import { useLocationHash } from "../ui/use-location-hash";
import { mlflowLinkTarget } from "./mlflow-links";

/**
 * On the project overview: an MLflow UI link (`<tracking URI>/#/experiments/1/runs/<id>`, as the
 * client prints it) arrives here with its route in the fragment, which only the browser sees. This
 * replaces the address with Cairn's page for the same run, experiment or model, or says which
 * MLflow page has no counterpart.
 */
export function MlflowLinkRedirect({ slug }: { slug: string }) {
  const router = useRouter();
  const hash = useLocationHash();
  const target = useMemo(() => mlflowLinkTarget(slug, hash), [slug, hash]);
  useEffect(() => {
    if (target?.kind === "page") router.replace(target.path);
  }, [router, target]);
  if (target?.kind !== "unknown") return null;
  return (
    <p
      role="status"
      className="flex items-start gap-2 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-200"
    >
      <Info className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span>
        Cairn has no page for the MLflow address <code className="font-mono text-xs break-all">#{target.route}</code>, so here is the project overview.
      </span>
    </p>
  );
}

import Link from "next/link";
import { loggedModelHref } from "./format";
import { RegisterModelButton } from "./register-model-button";

type LoggedModel = { modelId: string; name: string; versions: number };

/** The run page's MLflow 3 logged models, each linked to its page and, for those who may, with "Register model". */
export function RunLoggedModels({ slug, models, canRegister }: { slug: string; models: LoggedModel[]; canRegister: boolean }) {
  return (
    <ul className="divide-y divide-stone-100 dark:divide-stone-800">
      {models.map((m) => (
        <li key={m.modelId} className="flex items-center gap-3 px-5 py-2.5 text-sm">
          <div className="min-w-0 flex-1">
            <Link href={loggedModelHref(slug, m.modelId)} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
              {m.name}
            </Link>
            <p className="truncate font-mono text-xs text-stone-500" title={m.modelId}>
              {m.modelId}
              {m.versions > 0 && ` · ${m.versions} version${m.versions === 1 ? "" : "s"}`}
            </p>
          </div>
          {canRegister && <RegisterModelButton slug={slug} modelId={m.modelId} suggestedName="" variant="secondary" />}
        </li>
      ))}
    </ul>
  );
}

import type { ReactNode } from "react";

export function PageHeader(props: { title: ReactNode; description?: ReactNode; actions?: ReactNode; eyebrow?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        {props.eyebrow && <div className="mb-1 text-xs font-medium tracking-wide text-stone-500 uppercase">{props.eyebrow}</div>}
        <h1 className="truncate text-2xl font-semibold tracking-tight">{props.title}</h1>
        {props.description && <p className="mt-1 text-sm text-stone-500 dark:text-stone-400">{props.description}</p>}
      </div>
      {props.actions && <div className="flex items-center gap-2">{props.actions}</div>}
    </div>
  );
}

import type { ReactNode } from "react";

export function EmptyState(props: { icon?: ReactNode; title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center rounded-lg border border-dashed border-stone-300 px-6 py-12 text-center dark:border-stone-700">
      {props.icon && <div className="mb-3 text-stone-400">{props.icon}</div>}
      <h3 className="text-sm font-semibold">{props.title}</h3>
      {props.description && <p className="mt-1 max-w-md text-sm text-stone-500 dark:text-stone-400">{props.description}</p>}
      {props.action && <div className="mt-4">{props.action}</div>}
    </div>
  );
}

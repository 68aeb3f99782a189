import type { HTMLAttributes, ReactNode } from "react";
import { cn } from "./cn";

export function Card({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cn("rounded-lg border border-stone-200 bg-white shadow-xs dark:border-stone-800 dark:bg-stone-900", className)} {...props} />;
}

export function CardHeader(props: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-3 border-b border-stone-200 px-5 py-4 dark:border-stone-800">
      <div>
        <h2 className="text-base font-semibold">{props.title}</h2>
        {props.description && <p className="mt-0.5 text-sm text-stone-500 dark:text-stone-400">{props.description}</p>}
      </div>
      {props.actions}
    </div>
  );
}

export function CardBody({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cn("px-5 py-4", className)} {...props} />;
}

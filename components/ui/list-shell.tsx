import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "./button";
import { cn } from "./cn";
import { Select } from "./input";

/** A project list page's heading: what the list holds, in a sentence. */
export function ListHeading(props: { title: string; description: string }) {
  return (
    <div>
      <h2 className="text-lg font-semibold tracking-tight">{props.title}</h2>
      <p className="text-sm text-stone-500 dark:text-stone-400">{props.description}</p>
    </div>
  );
}

/**
 * The bar above a list: links to its states (the current one marked as the page) and a GET form of
 * filters that keeps the state in `hidden` fields. `children` are the filters, `FilterSelect`s.
 */
export function ListToolbar(props: {
  label: string;
  tabs: { value: string; label: string; href: string; count?: string }[];
  current: string;
  action: string;
  hidden: Record<string, string | undefined>;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 border-b border-stone-200 bg-stone-50/60 px-4 py-2.5 sm:px-5 dark:border-stone-800 dark:bg-stone-900/60">
      <nav aria-label={props.label} className="flex gap-1">
        {props.tabs.map((tab) => (
          <Link
            key={tab.value}
            href={tab.href}
            aria-current={props.current === tab.value ? "page" : undefined}
            className={cn(
              "inline-flex items-center gap-1.5 rounded-md px-2.5 py-1 text-sm font-medium",
              props.current === tab.value
                ? "bg-white text-stone-900 shadow-xs ring-1 ring-stone-200 dark:bg-stone-800 dark:text-stone-100 dark:ring-stone-700"
                : "text-stone-600 hover:text-stone-900 dark:text-stone-400 dark:hover:text-stone-100",
            )}
          >
            {tab.label}
            {tab.count !== undefined && <span className="rounded-full bg-stone-200/70 px-1.5 text-xs tabular-nums dark:bg-stone-700">{tab.count}</span>}
          </Link>
        ))}
      </nav>
      <form action={props.action} method="get" className="flex flex-wrap items-center gap-2">
        {Object.entries(props.hidden).map(([name, value]) => value !== undefined && <input key={name} type="hidden" name={name} value={value} />)}
        {props.children}
        <button type="submit" className={buttonClass("secondary", "sm")}>
          Filter
        </button>
      </form>
    </div>
  );
}

/** One filter of a `ListToolbar`: a labelled select whose first choice, `all`, sets no filter. */
export function FilterSelect(props: {
  id: string;
  name: string;
  label: string;
  value: string | undefined;
  all: string;
  options: { value: string; label: string }[];
  className: string;
}) {
  return (
    <>
      <label htmlFor={props.id} className="text-sm text-stone-500">
        {props.label}
      </label>
      <Select id={props.id} name={props.name} defaultValue={props.value ?? ""} className={cn("h-8", props.className)}>
        <option value="">{props.all}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </>
  );
}

/** The filter by registered model that project lists share. */
export function ModelFilter(props: { id: string; value: string | undefined; models: { name: string }[]; className: string }) {
  return (
    <FilterSelect
      id={props.id}
      name="model"
      label="Model"
      value={props.value}
      all="All models"
      options={props.models.map((m) => ({ value: m.name, label: m.name }))}
      className={props.className}
    />
  );
}

/** The foot of a paged list: a link to newer entries on the left, to older ones on the right, where there are any. */
export function ListPager(props: { newer?: { href: string; label: string }; older?: { href: string; label: string } }) {
  if (!props.newer && !props.older) return null;
  return (
    <div className="flex justify-between gap-2 border-t border-stone-200 px-5 py-3 dark:border-stone-800">
      {props.newer ? (
        <Link href={props.newer.href} className={buttonClass("secondary", "sm")}>
          {props.newer.label}
        </Link>
      ) : (
        <span />
      )}
      {props.older && (
        <Link href={props.older.href} className={buttonClass("secondary", "sm")}>
          {props.older.label}
        </Link>
      )}
    </div>
  );
}

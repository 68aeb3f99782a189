import { Search, X } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "../ui/button";
import { Input, Select } from "../ui/input";

export type ModelFilters = { q?: string; tag?: string; framework?: string; after?: string; before?: string };

const label = "mb-1 block text-xs font-medium text-stone-600 dark:text-stone-400";

/**
 * The registry's search, as a plain GET form: the filters live in the URL, so a search can be
 * shared, bookmarked and used without JavaScript.
 */
export function ModelSearchForm({ action, filters, frameworks }: { action: string; filters: ModelFilters; frameworks: string[] }) {
  const active = Object.values(filters).some(Boolean);
  return (
    <form
      action={action}
      method="get"
      role="search"
      aria-label="Search models"
      className="grid grid-cols-2 gap-3 lg:grid-cols-[minmax(0,2fr)_minmax(0,1.3fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)_auto]"
    >
      <div className="col-span-2 lg:col-span-1">
        <label htmlFor="models-q" className={label}>
          Name
        </label>
        <div className="relative">
          <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-stone-400" aria-hidden />
          <Input id="models-q" name="q" type="search" defaultValue={filters.q} placeholder="fraud-model" className="pl-8" autoComplete="off" />
        </div>
      </div>
      <div>
        <label htmlFor="models-tag" className={label}>
          Tag
        </label>
        <Input
          id="models-tag"
          name="tag"
          defaultValue={filters.tag}
          placeholder="team=fraud"
          className="font-mono text-xs"
          autoComplete="off"
          aria-describedby="models-tag-hint"
        />
        <span id="models-tag-hint" className="sr-only">
          A tag key, or key=value
        </span>
      </div>
      <div>
        <label htmlFor="models-framework" className={label}>
          Framework
        </label>
        <Select id="models-framework" name="framework" defaultValue={filters.framework ?? ""}>
          <option value="">Any</option>
          {frameworks.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </Select>
      </div>
      <div>
        <label htmlFor="models-after" className={label}>
          Trained after
        </label>
        <Input id="models-after" name="after" type="date" defaultValue={filters.after} />
      </div>
      <div>
        <label htmlFor="models-before" className={label}>
          Trained before
        </label>
        <Input id="models-before" name="before" type="date" defaultValue={filters.before} />
      </div>
      <div className="col-span-2 flex items-end gap-2 lg:col-span-1">
        <button type="submit" className={buttonClass("primary", "md")}>
          Search
        </button>
        {active && (
          <Link href={action} className={buttonClass("ghost", "md")} aria-label="Clear filters">
            <X className="size-4" aria-hidden /> Clear
          </Link>
        )}
      </div>
    </form>
  );
}

import Link from "next/link";
import { cn } from "../ui/cn";
import { RANGE_TEXT, RANGES, type RangeKey } from "./format";

/** 24 h / 7 d / 30 d as links (the range lives in the URL, so a view can be shared and reloaded). */
export function RangePicker({ href, value }: { href: (range: RangeKey) => string; value: RangeKey }) {
  return (
    <nav aria-label="Time range" className="inline-flex h-8 items-center rounded-md border border-stone-300 p-0.5 dark:border-stone-700">
      {(Object.keys(RANGES) as RangeKey[]).map((key) => (
        <Link
          key={key}
          href={href(key)}
          aria-current={key === value ? "page" : undefined}
          aria-label={`Last ${RANGE_TEXT[key]}`}
          className={cn(
            "flex h-full items-center rounded px-2.5 text-sm transition-colors",
            key === value
              ? "bg-stone-900 text-white dark:bg-stone-100 dark:text-stone-900"
              : "text-stone-600 hover:bg-stone-100 dark:text-stone-300 dark:hover:bg-stone-800",
          )}
        >
          {key}
        </Link>
      ))}
    </nav>
  );
}

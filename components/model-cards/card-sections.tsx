import { CommentMarkdown } from "../collaboration/markdown";
import type { CardSection } from "./types";

/** A card as read: each section's markdown, marked when it comes from the model's card, or a note that it is empty. */
export function CardSections({ sections }: { sections: CardSection[] }) {
  return (
    <dl className="divide-y divide-stone-100 dark:divide-stone-800">
      {sections.map((s) => (
        <div key={s.field} className="px-5 py-3.5">
          <dt className="mb-1 flex items-center gap-2 text-sm font-medium">
            {s.label}
            {s.inherited && <span className="text-xs font-normal text-stone-500">from the model&apos;s card</span>}
          </dt>
          <dd className="text-sm">
            {s.value ? <CommentMarkdown source={s.value} /> : <span className="text-stone-400 dark:text-stone-500">Not written yet.</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

"use client";

import * as Tabs from "@radix-ui/react-tabs";
import type { ReactNode } from "react";
import { cn } from "../ui/cn";

export type MarkdownTab = "write" | "preview";

const tabClass =
  "rounded-md px-2.5 py-1 text-sm font-medium text-stone-500 hover:text-stone-800 data-[state=active]:bg-stone-100 data-[state=active]:text-stone-900 dark:hover:text-stone-200 dark:data-[state=active]:bg-stone-800 dark:data-[state=active]:text-stone-100";

/**
 * The Write and Preview tabs of a markdown editor. The Write panel stays mounted while hidden, so
 * the textarea keeps its caret, selection and undo history across a look at the preview.
 */
export function MarkdownTabs(props: {
  /** What is being written, for the tab list's name ("Notes: write or preview"). */
  label: string;
  tab: MarkdownTab;
  onTabChange: (tab: MarkdownTab) => void;
  /** The editor of the Write tab (a textarea and what belongs to it). */
  children: ReactNode;
  writeClassName?: string;
  /** The rendered draft; undefined when there is nothing to preview yet. */
  preview: ReactNode | undefined;
  previewClassName?: string;
}) {
  return (
    <Tabs.Root value={props.tab} onValueChange={(value) => props.onTabChange(value as MarkdownTab)}>
      <Tabs.List aria-label={`${props.label}: write or preview`} className="mb-2 flex gap-1">
        <Tabs.Trigger value="write" className={tabClass}>
          Write
        </Tabs.Trigger>
        <Tabs.Trigger value="preview" className={tabClass}>
          Preview
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value="write" className={props.writeClassName} forceMount hidden={props.tab !== "write"}>
        {props.children}
      </Tabs.Content>
      <Tabs.Content value="preview" className={cn("rounded-md border border-stone-200 px-3 py-2 dark:border-stone-700", props.previewClassName)}>
        {props.preview ?? <p className="text-sm text-stone-500">Nothing to preview.</p>}
      </Tabs.Content>
    </Tabs.Root>
  );
}

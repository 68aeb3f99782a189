"use client";

import { Search } from "lucide-react";
import { useId } from "react";
import { cn } from "./cn";
import { Input } from "./input";

/** A labelled search box with its magnifier, for narrowing a list as one types. */
export function SearchField(props: { label: string; value: string; onChange: (value: string) => void; placeholder: string; className?: string }) {
  const id = useId();
  return (
    <div className={cn("relative w-full max-w-xs", props.className)}>
      <label htmlFor={id} className="sr-only">
        {props.label}
      </label>
      <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-stone-400" aria-hidden />
      <Input id={id} type="search" value={props.value} onChange={(e) => props.onChange(e.target.value)} placeholder={props.placeholder} className="pl-8" />
    </div>
  );
}

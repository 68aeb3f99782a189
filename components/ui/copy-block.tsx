"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";

/** A code sample with a copy button. */
export function CopyBlock({ label, code }: { label: string; code: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <figure className="overflow-hidden rounded-md border border-stone-200 dark:border-stone-800">
      <figcaption className="flex items-center justify-between bg-stone-100 px-3 py-1.5 text-xs text-stone-500 dark:bg-stone-800/60 dark:text-stone-400">
        {label}
        <button
          type="button"
          className="inline-flex items-center gap-1 rounded px-1.5 py-0.5 hover:bg-stone-200 dark:hover:bg-stone-700"
          aria-label={`Copy ${label.toLowerCase()}`}
          onClick={async () => {
            await navigator.clipboard?.writeText(code);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? <Check className="size-3.5" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
          {copied ? "Copied" : "Copy"}
        </button>
      </figcaption>
      <pre className="overflow-x-auto bg-stone-950 p-3 text-xs leading-relaxed text-stone-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}

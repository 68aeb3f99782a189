"use client";

import { useState } from "react";
import { CopyBlock } from "../ui/copy-block";
import { CopyField } from "../ui/copy-field";
import { cn } from "../ui/cn";
import { NODE_VERIFY, PYTHON_VERIFY } from "./verification-snippets";

const SAMPLES = { Python: PYTHON_VERIFY, Node: NODE_VERIFY } as const;

/** A signing secret shown once, with how the receiver checks X-Cairn-Signature. */
export function SecretReveal({ secret }: { secret: string }) {
  const [language, setLanguage] = useState<keyof typeof SAMPLES>("Python");
  return (
    <div className="space-y-4">
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
        This is the only time the signing secret is shown. Give it to the receiver (e.g. as <code>CAIRN_WEBHOOK_SECRET</code> in your CI settings); rotate it if
        it is lost.
      </p>
      <CopyField label="Signing secret" value={secret} />
      <div className="space-y-2">
        <p className="text-sm text-stone-600 dark:text-stone-400">
          Each request carries <code>X-Cairn-Signature: t=…,v1=…</code>: an HMAC-SHA256, with this secret, of <code>&lt;t&gt;.&lt;raw body&gt;</code>. Receivers
          should check it, and refuse a <code>t</code> older than a few minutes.
        </p>
        <div className="flex items-center justify-end gap-2 text-xs text-stone-500">
          Example in
          <div role="group" aria-label="Example language" className="flex rounded-md border border-stone-300 p-0.5 dark:border-stone-700">
            {(Object.keys(SAMPLES) as (keyof typeof SAMPLES)[]).map((name) => (
              <button
                key={name}
                type="button"
                aria-pressed={language === name}
                onClick={() => setLanguage(name)}
                className={cn(
                  "rounded px-2 py-0.5 text-xs font-medium",
                  language === name ? "bg-stone-200 text-stone-900 dark:bg-stone-700 dark:text-stone-100" : "text-stone-500 hover:text-stone-800",
                )}
              >
                {name}
              </button>
            ))}
          </div>
        </div>
        <div className="max-h-[40vh] overflow-y-auto">
          <CopyBlock label={`Verify in ${language}`} code={SAMPLES[language]} />
        </div>
      </div>
    </div>
  );
}

"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "./button";
import { Field } from "./field";
import { Input } from "./input";

/** A read-only value with a copy button, e.g. a secret shown once. */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard?.writeText(value);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  }
  return (
    <div className="flex items-end gap-2">
      <div className="flex-1">
        <Field label={label} hint={hint}>
          <Input readOnly value={value} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        </Field>
      </div>
      <Button variant="secondary" onClick={copy} aria-label={`Copy ${label}`} className={hint ? "mb-5" : undefined}>
        {copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}

"use client";

import { Button } from "@/components/ui/button";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-lg rounded-lg border border-red-200 bg-red-50 p-6 text-center dark:border-red-900 dark:bg-red-950/40">
      <h1 className="text-lg font-semibold text-red-800 dark:text-red-200">This page could not be shown</h1>
      <p className="mt-2 text-sm text-red-700 dark:text-red-300">{error.message || "Something went wrong on our side."}</p>
      {error.digest && <p className="mt-1 font-mono text-xs text-red-500">Reference {error.digest}</p>}
      <Button variant="secondary" className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}

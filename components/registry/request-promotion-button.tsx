"use client";

import { GitPullRequestArrow } from "lucide-react";
import { useState } from "react";
import { Button } from "../ui/button";
import { RequestPromotionDialog } from "./request-promotion-dialog";
import type { ProtectedTarget } from "./types";

/** The header's "Request promotion" button, for the newest version unless another is chosen. */
export function RequestPromotionButton(props: {
  slug: string;
  modelName: string;
  versions: number[];
  version?: number;
  protectedTargets: ProtectedTarget[];
  variant?: "primary" | "secondary";
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant={props.variant ?? "primary"} onClick={() => setOpen(true)} disabled={!props.versions.length}>
        <GitPullRequestArrow className="size-4" aria-hidden /> Request promotion
      </Button>
      <RequestPromotionDialog
        slug={props.slug}
        modelName={props.modelName}
        versions={props.versions}
        version={props.version ?? props.versions[0] ?? null}
        protectedTargets={props.protectedTargets}
        open={open}
        onOpenChange={setOpen}
      />
    </>
  );
}

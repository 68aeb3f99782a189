"use client";

import { PackagePlus } from "lucide-react";
import { useState } from "react";
import { Button } from "../ui/button";
import { RegisterModelDialog } from "./register-model-dialog";

/** "Register model" for an MLflow 3 logged model, opening the dialog that picks the registered model. */
export function RegisterModelButton(props: { slug: string; modelId: string; suggestedName: string; variant?: "primary" | "secondary" }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant={props.variant ?? "primary"} onClick={() => setOpen(true)}>
        <PackagePlus className="size-4" aria-hidden /> Register model
      </Button>
      <RegisterModelDialog slug={props.slug} modelId={props.modelId} suggestedName={props.suggestedName} open={open} onOpenChange={setOpen} />
    </>
  );
}

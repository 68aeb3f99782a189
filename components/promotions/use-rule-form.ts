"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { toast } from "sonner";
import type { Role } from "@/server/access/permissions";
import { targetText } from "../registry/format";
import { applyServerErrors } from "../registry/server-errors";
import { useTRPC } from "../trpc";
import { useOnOpen } from "../ui/use-on-open";
import { formFieldOf, toForm, toSaveInput, type Member, type RuleFormValues } from "./rule-form";
import type { RuleRow } from "./types";

/**
 * The state of the rule dialog's form: filled from `rule` (or a new rule's defaults) each time the
 * dialog opens; submitting saves it, closes the dialog and refreshes the page, or puts the server's
 * field errors under the fields (gates included) and any other message above the form.
 */
export function useRuleForm(args: { slug: string; rule: RuleRow | null; reviewerRoles: Role[]; reviewers: Member[]; open: boolean; onSaved: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.promotion.saveRule.mutationOptions());
  const form = useForm<RuleFormValues>({ defaultValues: toForm(args.rule, args.reviewerRoles, args.reviewers) });
  const gates = useFieldArray({ control: form.control, name: "gates" });
  const [formError, setFormError] = useState<string>();

  useOnOpen(
    args.open,
    () => {
      form.reset(toForm(args.rule, args.reviewerRoles, args.reviewers));
      setFormError(undefined);
    },
    args.rule,
  );

  const submit = form.handleSubmit(async (values) => {
    setFormError(undefined);
    const input = toSaveInput(args.slug, values);
    try {
      await save.mutateAsync(input);
      toast.success(`${targetText(input.target)} ${args.rule ? "rule saved" : "is now protected"}`);
      args.onSaved();
      router.refresh();
    } catch (error) {
      setFormError(applyServerErrors(form, error, (path) => formFieldOf(values, path)));
    }
  });

  return { form, gates, formError, submit, saving: save.isPending };
}

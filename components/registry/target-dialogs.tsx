"use client";

import { useMutation } from "@tanstack/react-query";
import { Lock, ShieldAlert, Undo2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field, FormError } from "../ui/field";
import { Input, Select, Textarea } from "../ui/input";
import { useOnOpen } from "../ui/use-on-open";
import { STAGES, requestHref, requestNumberIn, targetText } from "./format";
import type { Target } from "./types";

/**
 * The server's refusal of a change to a protected target, with a link to the request it opened on
 * the caller's behalf (if it did).
 */
function ProtectedRefusal({ slug, message }: { slug: string; message: string }) {
  const number = requestNumberIn(message);
  return (
    <div
      role="alert"
      className="space-y-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2.5 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
    >
      <p className="flex gap-2">
        <ShieldAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span className="break-words">{message.replace(/: https?:\/\/\S+$/, ".")}</span>
      </p>
      {number && (
        <Link href={requestHref(slug, number)} className="ml-6 inline-flex font-medium underline underline-offset-2">
          Open request #{number} →
        </Link>
      )}
    </div>
  );
}

type Common = { slug: string; modelName: string; open: boolean; onOpenChange: (open: boolean) => void };

/** Points an alias at a version; a protected alias is refused and a request opened instead. */
export function SetAliasDialog(props: Common & { version: number; aliases: { alias: string; version: string }[]; protectedAliases: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const setAlias = useMutation(trpc.registry.setAlias.mutationOptions());
  const [alias, setAliasName] = useState("");
  const [error, setError] = useState<{ message: string; field?: string; forbidden?: boolean }>();
  useOnOpen(props.open, () => {
    setAliasName("");
    setError(undefined);
  });
  const name = alias.trim();
  const current = props.aliases.find((a) => a.alias === name);
  const locked = props.protectedAliases.includes(name);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await setAlias.mutateAsync({ projectSlug: props.slug, name: props.modelName, alias: name, version: props.version });
      toast.success(`@${name} now points at version ${props.version}`);
      props.onOpenChange(false);
      router.refresh();
    } catch (err) {
      const { message, fields } = errorDetails(err);
      const forbidden = /protected/.test(message);
      setError({ message, field: fields.alias, forbidden });
      if (forbidden) router.refresh();
    }
  }

  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title={`Set an alias on version ${props.version}`}
      description="An alias names one version (e.g. champion, challenger); moving it takes it from the version that has it."
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        {error?.forbidden ? <ProtectedRefusal slug={props.slug} message={error.message} /> : !error?.field && <FormError message={error?.message} />}
        <Field
          label="Alias"
          error={error?.field}
          hint={
            current
              ? current.version === String(props.version)
                ? "This version already has it."
                : `Moves @${name} from version ${current.version}.`
              : locked
                ? undefined
                : "Letters, digits, '_' and '-'."
          }
        >
          <Input
            value={alias}
            onChange={(e) => setAliasName(e.target.value)}
            list="alias-suggestions"
            placeholder="challenger"
            className="font-mono"
            autoComplete="off"
            autoFocus
          />
        </Field>
        <datalist id="alias-suggestions">
          {[...new Set([...props.aliases.map((a) => a.alias), ...props.protectedAliases])].map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        {locked && !error && (
          <p className="flex items-center gap-1.5 text-xs text-amber-700 dark:text-amber-300">
            <Lock className="size-3.5" aria-hidden /> @{name} is protected: Cairn will open a promotion request instead of moving it.
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            {error?.forbidden ? "Done" : "Cancel"}
          </Button>
          {!error?.forbidden && (
            <Button type="submit" pending={setAlias.isPending} disabled={!name}>
              Set alias
            </Button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** Moves a version to a stage; protected stages are refused with a request opened instead. */
export function MoveStageDialog(props: Common & { version: number; stage: string; protectedStages: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const transition = useMutation(trpc.registry.transitionStage.mutationOptions());
  const choices = STAGES.filter((s) => s !== props.stage);
  const [stage, setStage] = useState<string>(choices[0]!);
  const [archive, setArchive] = useState(true);
  const [error, setError] = useState<{ message: string; forbidden?: boolean }>();
  useOnOpen(
    props.open,
    () => {
      setStage(choices.includes("Staging") ? "Staging" : choices[0]!);
      setArchive(true);
      setError(undefined);
    },
    props.stage,
  );
  const holdable = stage === "Staging" || stage === "Production";
  const locked = props.protectedStages.includes(stage) || props.protectedStages.includes(props.stage);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await transition.mutateAsync({
        projectSlug: props.slug,
        name: props.modelName,
        version: props.version,
        stage,
        archiveExistingVersions: holdable && archive,
      });
      toast.success(`Version ${props.version} moved to ${stage}`);
      props.onOpenChange(false);
      router.refresh();
    } catch (err) {
      const { message } = errorDetails(err);
      const forbidden = /protected/.test(message);
      setError({ message, forbidden });
      if (forbidden) router.refresh();
    }
  }

  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title={`Move version ${props.version} to a stage`}
      description={`It is in ${props.stage === "None" ? "no stage" : props.stage} now.`}
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        {error?.forbidden ? <ProtectedRefusal slug={props.slug} message={error.message} /> : <FormError message={error?.message} />}
        <Field label="Stage">
          <Select value={stage} onChange={(e) => setStage(e.target.value)}>
            {choices.map((s) => (
              <option key={s} value={s}>
                {s}
                {props.protectedStages.includes(s) ? " (protected)" : ""}
              </option>
            ))}
          </Select>
        </Field>
        {holdable && (
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" checked={archive} onChange={(e) => setArchive(e.target.checked)} className="mt-0.5 size-4 accent-brand-600" />
            <span>
              Archive the versions in {stage} now
              <span className="block text-xs text-stone-500 dark:text-stone-400">So that only this version serves from {stage}.</span>
            </span>
          </label>
        )}
        {locked && !error && (
          <p className="flex items-center gap-1.5 text-xs text-amber-700 dark:text-amber-300">
            <Lock className="size-3.5" aria-hidden />{" "}
            {props.protectedStages.includes(stage)
              ? `${stage} is protected: Cairn will open a promotion request instead.`
              : `${props.stage} is protected: a version leaves it only when another is promoted or by a rollback.`}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            {error?.forbidden ? "Done" : "Cancel"}
          </Button>
          {!error?.forbidden && (
            <Button type="submit" pending={transition.isPending}>
              Move to {stage}
            </Button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Returns a stage or alias to the version that held it before, in one step. A protected target
 * follows its rule: applied at once with emergency rollback allowed, otherwise a request opens.
 */
export function RollbackDialog(props: Common & { target: Target; holder: string; previous: number | null; emergency: boolean | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const rollback = useMutation(trpc.promotion.rollback.mutationOptions());
  const [justification, setJustification] = useState("");
  const [error, setError] = useState<string>();
  useOnOpen(props.open, () => {
    setJustification("");
    setError(undefined);
  });
  const label = targetText(props.target);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const result = await rollback.mutateAsync({ projectSlug: props.slug, modelName: props.modelName, target: props.target, justification });
      props.onOpenChange(false);
      if (result.applied) {
        toast.success(`${label} rolled back from version ${result.from} to ${result.to}`);
        router.refresh();
      } else if (result.request) {
        toast.message(`Rollback needs approval: request #${result.request} is open`);
        router.push(requestHref(props.slug, result.request));
      }
    } catch (err) {
      setError(errorDetails(err).message);
    }
  }

  const outcome =
    props.emergency === null
      ? "It moves at once."
      : props.emergency
        ? "The rule allows emergency rollback: it applies at once and is recorded as a request."
        : "The rule requires review: this opens a rollback request for the usual approvals.";
  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      title={`Roll back ${label}`}
      description={
        <>
          {label} returns from version {props.holder} to {props.previous ? `version ${props.previous}` : "the version that held it before"}. {outcome}
        </>
      }
    >
      <form onSubmit={submit} className="space-y-4" noValidate>
        <FormError message={error} />
        <Field label="Reason" hint="Optional, shown on the timeline and to reviewers.">
          <Textarea
            rows={3}
            value={justification}
            onChange={(e) => setJustification(e.target.value)}
            placeholder="Error rate doubled after the switch."
            autoFocus
          />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => props.onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" pending={rollback.isPending}>
            <Undo2 className="size-4" aria-hidden /> {props.emergency === false ? "Request rollback" : "Roll back"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

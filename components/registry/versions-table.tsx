"use client";

import { useMutation } from "@tanstack/react-query";
import { AtSign, Ellipsis, GitPullRequestArrow, Layers, Lock, X } from "lucide-react";
import { ListLink } from "../ui/list-link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { errorDetails, useTRPC } from "../trpc";
import { MenuContent, MenuItem, MenuLabel, MenuRoot, MenuSeparator, MenuTrigger } from "../ui/menu";
import { Table, Td, Th } from "../ui/table";
import { Time } from "../ui/time";
import { AliasChip, StageBadge } from "./badges";
import { requestHref, runHref, targetText, versionHref } from "./format";
import { RequestPromotionDialog } from "./request-promotion-dialog";
import { MoveStageDialog, SetAliasDialog } from "./target-dialogs";
import type { ModelVersionRow, ProtectedTarget } from "./types";

type Dialog = { kind: "request" | "alias" | "stage"; version: ModelVersionRow } | null;

/** A model's versions, newest first, with what each holds and the actions the reader may take. */
export function VersionsTable(props: {
  slug: string;
  modelName: string;
  versions: ModelVersionRow[];
  aliases: { alias: string; version: string }[];
  protectedTargets: ProtectedTarget[];
  canWrite: boolean;
  canRequest: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const deleteAlias = useMutation(trpc.registry.deleteAlias.mutationOptions());
  const [dialog, setDialog] = useState<Dialog>(null);
  // A dialog opened from a menu would return focus to the (gone) menu item: send it back to the row's button.
  const triggers = useRef(new Map<number, HTMLButtonElement>());
  const closeDialog = () => {
    const version = dialog?.version.version;
    setDialog(null);
    if (version !== undefined) setTimeout(() => triggers.current.get(version)?.focus(), 0);
  };
  const locked = (kind: string, name: string) => props.protectedTargets.some((t) => t.kind === kind && t.name === name);
  const hasActions = props.canWrite || props.canRequest;

  async function removeAlias(alias: string) {
    try {
      await deleteAlias.mutateAsync({ projectSlug: props.slug, name: props.modelName, alias });
      toast.success(`@${alias} removed`);
      router.refresh();
    } catch (error) {
      toast.error(errorDetails(error).message, { duration: 8000 });
    }
  }

  return (
    <>
      <Table>
        <thead>
          <tr>
            <Th>Version</Th>
            <Th>Holds</Th>
            <Th className="hidden md:table-cell">Source run</Th>
            <Th>Requests</Th>
            {hasActions && (
              <Th className="w-10">
                <span className="sr-only">Actions</span>
              </Th>
            )}
          </tr>
        </thead>
        <tbody>
          {props.versions.map((v) => (
            <tr key={v.version} className="hover:bg-stone-50/70 dark:hover:bg-stone-800/30">
              <Td className="whitespace-nowrap">
                <ListLink
                  href={versionHref(props.slug, props.modelName, v.version)}
                  className="font-medium text-brand-700 tabular-nums hover:underline dark:text-brand-100"
                >
                  Version {v.version}
                </ListLink>
                <div className="text-xs text-stone-400">
                  <Time value={v.createdAt} />
                  {v.registeredBy && <> by {v.registeredBy}</>}
                </div>
                {v.framework && <div className="text-xs text-stone-500 dark:text-stone-400">{v.framework}</div>}
              </Td>
              <Td>
                {v.stage === "None" && !v.aliases.length ? (
                  <span className="text-stone-400">—</span>
                ) : (
                  <div className="flex flex-wrap items-center gap-1">
                    {v.stage !== "None" && (
                      <span className="inline-flex items-center gap-1">
                        <StageBadge stage={v.stage} />
                        {locked("stage", v.stage) && <Lock className="size-3 text-stone-400" aria-label="protected stage" />}
                      </span>
                    )}
                    {v.aliases.map((a) => (
                      <AliasChip key={a} alias={a} locked={locked("alias", a)} />
                    ))}
                  </div>
                )}
              </Td>
              <Td className="hidden max-w-64 md:table-cell">
                {v.runId ? (
                  <ListLink href={runHref(props.slug, v.runId)} className="block truncate text-sm hover:underline" title={v.runName ?? v.runId}>
                    {v.runName ?? v.runId.slice(0, 8)}
                  </ListLink>
                ) : (
                  <span className="block truncate font-mono text-xs text-stone-400" title={v.source}>
                    {v.source}
                  </span>
                )}
                {v.trainedAt && (
                  <div className="text-xs text-stone-400">
                    trained <Time value={new Date(v.trainedAt)} />
                  </div>
                )}
              </Td>
              <Td>
                {v.openRequests.length ? (
                  <div className="flex flex-col gap-0.5">
                    {v.openRequests.map((r) => (
                      <ListLink
                        key={r.number}
                        href={requestHref(props.slug, r.number)}
                        className="inline-flex items-center gap-1 text-xs whitespace-nowrap text-emerald-700 hover:underline dark:text-emerald-400"
                      >
                        <GitPullRequestArrow className="size-3.5" aria-hidden />#{r.number} → {targetText(r.target)}
                      </ListLink>
                    ))}
                  </div>
                ) : (
                  <span className="text-stone-400">—</span>
                )}
              </Td>
              {hasActions && (
                <Td className="text-right">
                  <MenuRoot>
                    <MenuTrigger
                      ref={(el) => {
                        if (el) triggers.current.set(v.version, el);
                        else triggers.current.delete(v.version);
                      }}
                      className="rounded p-1.5 text-stone-500 hover:bg-stone-100 data-[state=open]:bg-stone-100 dark:hover:bg-stone-800 dark:data-[state=open]:bg-stone-800"
                      aria-label={`Actions for version ${v.version}`}
                    >
                      <Ellipsis className="size-4" aria-hidden />
                    </MenuTrigger>
                    <MenuContent>
                      <MenuLabel>Version {v.version}</MenuLabel>
                      {props.canRequest && (
                        <MenuItem onSelect={() => setDialog({ kind: "request", version: v })}>
                          <GitPullRequestArrow className="size-4" aria-hidden /> Request promotion…
                        </MenuItem>
                      )}
                      {props.canWrite && (
                        <>
                          <MenuItem onSelect={() => setDialog({ kind: "alias", version: v })}>
                            <AtSign className="size-4" aria-hidden /> Set alias…
                          </MenuItem>
                          <MenuItem onSelect={() => setDialog({ kind: "stage", version: v })}>
                            <Layers className="size-4" aria-hidden /> Move to stage…
                          </MenuItem>
                          {v.aliases.length > 0 && <MenuSeparator />}
                          {v.aliases.map((a) => (
                            <MenuItem
                              key={a}
                              onSelect={() => void removeAlias(a)}
                              className={locked("alias", a) ? "text-stone-400" : "text-red-700 dark:text-red-400"}
                            >
                              {locked("alias", a) ? <Lock className="size-4" aria-hidden /> : <X className="size-4" aria-hidden />} Remove @{a}
                              {locked("alias", a) && <span className="ml-auto text-xs">protected</span>}
                            </MenuItem>
                          ))}
                        </>
                      )}
                    </MenuContent>
                  </MenuRoot>
                </Td>
              )}
            </tr>
          ))}
        </tbody>
      </Table>
      <RequestPromotionDialog
        slug={props.slug}
        modelName={props.modelName}
        versions={props.versions.map((v) => v.version)}
        version={dialog?.kind === "request" ? dialog.version.version : null}
        protectedTargets={props.protectedTargets}
        open={dialog?.kind === "request"}
        onOpenChange={(open) => !open && closeDialog()}
      />
      {dialog?.kind === "alias" && (
        <SetAliasDialog
          slug={props.slug}
          modelName={props.modelName}
          version={dialog.version.version}
          aliases={props.aliases}
          protectedAliases={props.protectedTargets.filter((t) => t.kind === "alias").map((t) => t.name)}
          open
          onOpenChange={(open) => !open && closeDialog()}
        />
      )}
      {dialog?.kind === "stage" && (
        <MoveStageDialog
          slug={props.slug}
          modelName={props.modelName}
          version={dialog.version.version}
          stage={dialog.version.stage}
          protectedStages={props.protectedTargets.filter((t) => t.kind === "stage").map((t) => t.name)}
          open
          onOpenChange={(open) => !open && closeDialog()}
        />
      )}
    </>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "../trpc";
import { EditableMarkdown } from "./editable-markdown";

/** A registered model's markdown description, editable by those with `model.write`. */
export function ModelDescription(props: { slug: string; name: string; description: string; editable: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.registry.updateModel.mutationOptions());
  return (
    <EditableMarkdown
      label="Description"
      content={props.description}
      editable={props.editable}
      placeholder={"What the model does, what it is trained on, how to use it, who owns it…"}
      empty={props.editable ? "No description yet. Say what this model does, what it is trained on and who owns it." : "No description."}
      save={async (description) => {
        await update.mutateAsync({ projectSlug: props.slug, name: props.name, description });
        router.refresh();
      }}
    />
  );
}

/** A model version's markdown description. */
export function VersionDescription(props: { slug: string; name: string; version: number; description: string; editable: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(trpc.registry.updateVersion.mutationOptions());
  return (
    <EditableMarkdown
      label="Description"
      content={props.description}
      editable={props.editable}
      placeholder="What changed in this version, known limitations…"
      empty={props.editable ? "No description yet. Note what changed in this version." : "No description."}
      save={async (description) => {
        await update.mutateAsync({ projectSlug: props.slug, name: props.name, version: props.version, description });
        router.refresh();
      }}
    />
  );
}

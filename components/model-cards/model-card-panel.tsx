"use client";

import { Download, Pencil } from "lucide-react";
import { useState } from "react";
import { Button, buttonClass } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { CardEditor } from "./card-editor";
import { CardSections } from "./card-sections";
import { CompletenessBadge } from "./completeness-badge";
import type { ModelCard } from "./types";

type Props = { slug: string; card: ModelCard; editable: boolean };

/** The "Model card" section of a model's or a version's page: the card read, its completeness, export, and an editor for those allowed. */
export function ModelCardPanel({ slug, card, editable }: Props) {
  const [editing, setEditing] = useState(false);
  const base = `/p/${slug}/models/${encodeURIComponent(card.model.name)}`;
  const href = card.version === null ? `${base}/card.md` : `${base}/versions/${card.version}/card.md`;
  const suggestions = card.sections.filter((s) => s.suggestion && !s.value).length;
  return (
    <Card id="card">
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            Model card <CompletenessBadge filled={card.completeness.filled} total={card.completeness.total} />
          </span>
        }
        description={
          card.version === null
            ? "What the model is for and how far to trust it; each version's card inherits what it leaves empty."
            : `Travels with version ${card.version}; empty sections read the model's card.${suggestions ? ` Cairn has drafts for ${suggestions} of them.` : ""}`
        }
        actions={
          <div className="flex gap-2">
            <a href={href} download className={buttonClass("secondary", "sm")}>
              <Download className="size-3.5" aria-hidden /> Export markdown
            </a>
            {editable && !editing && (
              <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
                <Pencil className="size-3.5" aria-hidden /> Edit card
              </Button>
            )}
          </div>
        }
      />
      {editing ? (
        <CardEditor slug={slug} name={card.model.name} version={card.version} sections={card.sections} onDone={() => setEditing(false)} />
      ) : (
        <CardSections sections={card.sections} />
      )}
    </Card>
  );
}

import { Badge } from "../ui/badge";

/** How many of a card's sections are written: green when all are. */
export function CompletenessBadge({ filled, total }: { filled: number; total: number }) {
  return (
    <Badge tone={filled === total ? "green" : filled === 0 ? "neutral" : "amber"}>
      <span className="sr-only">Model card: </span>
      {filled === total ? "Card complete" : `Card ${filled}/${total}`}
    </Badge>
  );
}

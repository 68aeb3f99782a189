import { ArrowDown, ArrowUp, Minus } from "lucide-react";
import { formatDelta, formatValue } from "../registry/format";
import { cn } from "../ui/cn";
import { Table, Td, Th } from "../ui/table";
import type { Gate, PromotionRequestPage } from "./types";

type Direction = "lower" | "higher";

/**
 * Which way is better for a metric, when a gate says so (`mae < holder's` means lower is better).
 * Without a gate Cairn does not guess: the delta is shown with its sign, uncoloured.
 */
function directionsFrom(gates: Gate[]): Map<string, Direction> {
  const directions = new Map<string, Direction>();
  for (const gate of gates) {
    if ((gate.type === "metric_vs_holder" || gate.type === "metric_threshold") && gate.comparison !== "eq") {
      directions.set(gate.metric, gate.comparison.startsWith("l") ? "lower" : "higher");
    }
  }
  return directions;
}

function Delta({ delta, holder, direction }: { delta: number; holder: number; direction: Direction | undefined }) {
  if (!Number.isFinite(delta)) return <span className="text-stone-400">—</span>;
  const better = direction ? (direction === "lower" ? delta < 0 : delta > 0) : null;
  const Icon = delta === 0 ? Minus : delta > 0 ? ArrowUp : ArrowDown;
  const relative = holder !== 0 && Number.isFinite(holder) ? (delta / Math.abs(holder)) * 100 : null;
  return (
    <span
      className={cn(
        "inline-flex items-center justify-end gap-1 font-mono text-xs tabular-nums",
        delta === 0 || better === null
          ? "text-stone-600 dark:text-stone-300"
          : better
            ? "text-emerald-700 dark:text-emerald-400"
            : "text-red-600 dark:text-red-400",
      )}
      title={direction ? `${direction === "lower" ? "Lower" : "Higher"} is better (from the rule's gates)` : "Which way is better is not known for this metric"}
    >
      <Icon className="size-3" aria-hidden />
      {formatDelta(delta)}
      {relative !== null && delta !== 0 && (
        <span className="text-[11px] opacity-70">
          ({relative > 0 ? "+" : "−"}
          {Math.abs(relative) >= 100 ? Math.abs(relative).toFixed(0) : Math.abs(relative).toPrecision(2)}%)
        </span>
      )}
      {better !== null && delta !== 0 && <span className="sr-only">{better ? "(better)" : "(worse)"}</span>}
    </span>
  );
}

/** The candidate's metrics next to the holder's, with signed deltas. */
export function MetricComparison({
  comparison,
  gates,
  hasHolder,
}: {
  comparison: PromotionRequestPage["comparison"]["metrics"];
  gates: Gate[];
  hasHolder: boolean;
}) {
  const directions = directionsFrom(gates);
  if (!comparison.length) return <p className="px-5 py-4 text-sm text-stone-500">Neither source run logged metrics.</p>;
  return (
    <Table>
      <thead>
        <tr>
          <Th>Metric</Th>
          <Th className="text-right">Candidate</Th>
          {hasHolder && <Th className="text-right">Holder</Th>}
          {hasHolder && <Th className="text-right">Δ</Th>}
        </tr>
      </thead>
      <tbody>
        {comparison.map((m) => {
          const direction = directions.get(m.key);
          return (
            <tr key={m.key}>
              <Td className="font-mono text-xs">
                {m.key}
                {direction && (
                  <span
                    className="ml-1.5 rounded bg-stone-100 px-1 py-px font-sans text-[10px] font-medium text-stone-500 dark:bg-stone-800 dark:text-stone-400"
                    title="A gate of the rule checks this metric"
                  >
                    {direction === "lower" ? "↓ better" : "↑ better"}
                  </span>
                )}
              </Td>
              <Td className="text-right font-mono text-xs font-medium tabular-nums">
                {m.candidate === null ? <span className="text-stone-400">missing</span> : formatValue(m.candidate)}
              </Td>
              {hasHolder && (
                <Td className="text-right font-mono text-xs text-stone-500 tabular-nums dark:text-stone-400">
                  {m.holder === null ? <span className="text-stone-400">—</span> : formatValue(m.holder)}
                </Td>
              )}
              {hasHolder && (
                <Td className="text-right">
                  {m.delta !== null && m.holder !== null ? (
                    <Delta delta={m.delta} holder={m.holder} direction={direction} />
                  ) : (
                    <span className="text-xs text-stone-400">{m.candidate === null ? "removed" : "new"}</span>
                  )}
                </Td>
              )}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

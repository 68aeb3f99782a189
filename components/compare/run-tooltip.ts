import type { CompareRun } from "@/server/services/tracking/compare";
import { escapeHtml, formatNumber } from "./compare-data";
import { chartTheme } from "./echart";

/** What a tooltip formatter receives for a run's line or point (the data item carries the run's index). */
type TooltipItem = { data?: { run: number } };

const cell = "font-family:ui-monospace,monospace";

/**
 * The hover card of a compare plot: the run's name beside its colour, over a table of the values
 * `rowsOf` picks for it (a missing value shows as a dash). Run names, keys and values are user
 * data, so every piece is escaped before ECharts writes it as HTML.
 */
export function runTooltip(args: {
  runs: CompareRun[];
  colors: string[];
  dark: boolean;
  rowsOf: (run: number) => [label: string, value: string | number | undefined][];
}) {
  const text = (v: string | number | undefined) => (v === undefined ? "—" : typeof v === "number" ? formatNumber(v) : v);
  return {
    trigger: "item" as const,
    confine: true,
    ...chartTheme(args.dark).tooltip,
    formatter: (item: TooltipItem | TooltipItem[]) => {
      const data = (Array.isArray(item) ? item[0] : item)?.data;
      if (!data) return "";
      const run = args.runs[data.run]!;
      const rows = args
        .rowsOf(data.run)
        .map(
          ([label, value]) =>
            `<tr><td style="padding-right:12px;opacity:.7;${cell}">${escapeHtml(label)}</td><td style="text-align:right;${cell}">${escapeHtml(text(value))}</td></tr>`,
        );
      return `<div style="font-weight:600;margin-bottom:4px"><span style="display:inline-block;width:8px;height:8px;border-radius:4px;margin-right:6px;background:${args.colors[data.run]}"></span>${escapeHtml(run.runName)}</div><table>${rows.join("")}</table>`;
    },
  };
}

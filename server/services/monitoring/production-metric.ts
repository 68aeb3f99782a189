import type { ProductionMetric } from "../../db/schema";

/** The sums of labelled records a window (or several added up) keeps. */
type LabelledSums = { labelled: number; correct: number; absErrorSum: number; squaredErrorSum: number };

/** The model's metric over labelled records: accuracy, mean absolute error or root mean squared error; null before any label. */
export function productionMetric(metric: ProductionMetric, w: LabelledSums): number | null {
  if (w.labelled <= 0) return null;
  switch (metric) {
    case "accuracy":
      return w.correct / w.labelled;
    case "mae":
      return w.absErrorSum / w.labelled;
    case "rmse":
      return Math.sqrt(w.squaredErrorSum / w.labelled);
  }
}

/** Whether `value` is worse than `than` by more than `margin` (accuracy falls when worse; errors grow). */
export function isWorse(metric: ProductionMetric, value: number, than: number, margin: number): boolean {
  return metric === "accuracy" ? value < than - margin : value > than + margin;
}

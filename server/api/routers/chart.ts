import { chartKeys, chartKeysInput, chartSeries, chartSeriesInput } from "../../services/tracking/chart-series";
import { projectProcedure, router } from "../trpc";

export const chartRouter = router({
  /** A metric of one or more runs, exact or reduced to min/max buckets (see `chartSeries`). */
  series: projectProcedure("project.read")
    .input(chartSeriesInput)
    .query(({ ctx, input }) => chartSeries({ ctx, input })),
  /** The metric keys of a set of runs, for charting every metric or overlaying runs. */
  keys: projectProcedure("project.read")
    .input(chartKeysInput)
    .query(({ ctx, input }) => chartKeys({ ctx, input })),
});

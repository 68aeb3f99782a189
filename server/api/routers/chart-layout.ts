import { chartLayoutInput, getChartLayout, saveChartLayout } from "../../services/tracking/chart-layout";
import { projectProcedure, router } from "../trpc";

/** Each member's own chart layout: any member may keep one (a read-only token may not change it). */
export const chartLayoutRouter = router({
  get: projectProcedure("project.read").query(({ ctx }) => getChartLayout({ ctx })),
  save: projectProcedure("layout.save")
    .input(chartLayoutInput)
    .mutation(({ ctx, input }) => saveChartLayout({ ctx, input })),
});

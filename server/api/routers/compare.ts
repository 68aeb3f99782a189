import { compareRuns, compareRunsInput } from "../../services/tracking/compare";
import { projectProcedure, router } from "../trpc";

export const compareRouter = router({
  /** Two to a hundred runs side by side: attributes, params, latest metrics, tags and the union of keys. */
  runs: projectProcedure("project.read")
    .input(compareRunsInput)
    .query(({ ctx, input }) => compareRuns({ ctx, input })),
});

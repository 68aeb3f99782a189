import {
  bulkRunsInput,
  deleteRuns,
  restoreRuns,
  runAuthorCounts,
  runAuthorsInput,
  runGroups,
  runGroupsInput,
  runsTable,
  runsTableInput,
} from "../../services/tracking/runs-table";
import { runColumns, runColumnsInput } from "../../services/tracking/key-catalogue";
import { defaultRunColumns, defaultRunColumnsInput } from "../../services/tracking/run-default-columns";
import { projectProcedure, router } from "../trpc";

export const runsTableRouter = router({
  rows: projectProcedure("project.read")
    .input(runsTableInput)
    .query(({ ctx, input }) => runsTable({ ctx, input })),
  columns: projectProcedure("project.read")
    .input(runColumnsInput)
    .query(({ ctx, input }) => runColumns({ ctx, input })),
  authors: projectProcedure("project.read")
    .input(runAuthorsInput)
    .query(({ ctx, input }) => runAuthorCounts({ ctx, input })),
  defaultColumns: projectProcedure("project.read")
    .input(defaultRunColumnsInput)
    .query(({ ctx, input }) => defaultRunColumns({ ctx, input })),
  groups: projectProcedure("project.read")
    .input(runGroupsInput)
    .query(({ ctx, input }) => runGroups({ ctx, input })),
  deleteMany: projectProcedure("run.delete")
    .input(bulkRunsInput)
    .mutation(({ ctx, input }) => deleteRuns({ ctx, input })),
  restoreMany: projectProcedure("run.delete")
    .input(bulkRunsInput)
    .mutation(({ ctx, input }) => restoreRuns({ ctx, input })),
});

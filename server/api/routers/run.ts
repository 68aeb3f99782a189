import { listRunArtifacts, listRunArtifactsInput } from "../../services/tracking/artifacts";
import { getMetricHistory, metricHistoryInput } from "../../services/tracking/metric-history";
import { runMetricSummaries, setNotesInput, setRunNotes } from "../../services/tracking/overview";
import { getAuthoredRun, searchAuthoredRuns } from "../../services/tracking/run-authors";
import { deleteRun, getRunInput, restoreRun, runIdInput } from "../../services/tracking/runs";
import { searchRunsInput } from "../../services/tracking/search";
import { projectProcedure, router } from "../trpc";

export const runRouter = router({
  search: projectProcedure("project.read")
    .input(searchRunsInput)
    .query(({ ctx, input }) => searchAuthoredRuns({ ctx, input })),
  get: projectProcedure("project.read")
    .input(getRunInput)
    .query(({ ctx, input }) => getAuthoredRun({ ctx, input })),
  metrics: projectProcedure("project.read")
    .input(runIdInput)
    .query(({ ctx, input }) => runMetricSummaries({ ctx, input })),
  metricHistory: projectProcedure("project.read")
    .input(metricHistoryInput)
    .query(({ ctx, input }) => getMetricHistory({ ctx, input })),
  artifacts: projectProcedure("project.read")
    .input(listRunArtifactsInput)
    .query(({ ctx, input }) => listRunArtifacts({ ctx, input })),
  setNotes: projectProcedure("run.write")
    .input(setNotesInput)
    .mutation(({ ctx, input }) => setRunNotes({ ctx, input })),
  delete: projectProcedure("run.delete")
    .input(runIdInput)
    .mutation(({ ctx, input }) => deleteRun({ ctx, input })),
  restore: projectProcedure("run.delete")
    .input(runIdInput)
    .mutation(({ ctx, input }) => restoreRun({ ctx, input })),
});

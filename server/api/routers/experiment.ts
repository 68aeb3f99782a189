import * as experiments from "../../services/tracking/experiments";
import { getLoggedModel, loggedModelIdInput } from "../../services/tracking/logged-models";
import { experimentNames, listExperiments, listExperimentsInput } from "../../services/tracking/overview";
import { projectProcedure, router } from "../trpc";

export const experimentRouter = router({
  list: projectProcedure("project.read")
    .input(listExperimentsInput)
    .query(({ ctx, input }) => listExperiments({ ctx, input })),
  /** Names only, for pickers: no run is read. */
  names: projectProcedure("project.read").query(({ ctx }) => experimentNames({ ctx })),
  get: projectProcedure("project.read")
    .input(experiments.experimentIdInput)
    .query(({ ctx, input }) => experiments.getExperiment({ ctx, input })),
  create: projectProcedure("experiment.write")
    .input(experiments.createExperimentInput)
    .mutation(({ ctx, input }) => experiments.createExperiment({ ctx, input })),
  rename: projectProcedure("experiment.write")
    .input(experiments.renameExperimentInput)
    .mutation(({ ctx, input }) => experiments.renameExperiment({ ctx, input })),
  delete: projectProcedure("experiment.delete")
    .input(experiments.experimentIdInput)
    .mutation(({ ctx, input }) => experiments.deleteExperiment({ ctx, input })),
  restore: projectProcedure("experiment.delete")
    .input(experiments.experimentIdInput)
    .mutation(({ ctx, input }) => experiments.restoreExperiment({ ctx, input })),
  /** An MLflow 3 logged model of one of the project's experiments. */
  loggedModel: projectProcedure("project.read")
    .input(loggedModelIdInput)
    .query(({ ctx, input }) => getLoggedModel({ ctx, input })),
});

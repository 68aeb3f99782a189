import {
  createProject,
  createProjectInput,
  deleteProject,
  deleteProjectInput,
  getProject,
  listMyProjects,
  listProjectsInput,
  primaryMetricInput,
  setArchivedInput,
  setPrimaryMetric,
  setProjectArchived,
  updateProject,
  updateProjectInput,
} from "../../services/projects";
import { projectProcedure, router, sessionProcedure, userProcedure } from "../trpc";

export const projectRouter = router({
  list: userProcedure.input(listProjectsInput).query(({ ctx, input }) => listMyProjects({ ctx, input })),
  create: sessionProcedure.input(createProjectInput).mutation(({ ctx, input }) => createProject({ ctx, input })),
  get: projectProcedure("project.read").query(({ ctx }) => getProject({ ctx })),
  update: projectProcedure("project.update")
    .input(updateProjectInput)
    .mutation(({ ctx, input }) => updateProject({ ctx, input })),
  setPrimaryMetric: projectProcedure("project.update")
    .input(primaryMetricInput)
    .mutation(({ ctx, input }) => setPrimaryMetric({ ctx, input })),
  setArchived: projectProcedure("project.archive")
    .input(setArchivedInput)
    .mutation(({ ctx, input }) => setProjectArchived({ ctx, input })),
  delete: projectProcedure("project.delete")
    .input(deleteProjectInput)
    .mutation(({ ctx, input }) => deleteProject({ ctx, input })),
});

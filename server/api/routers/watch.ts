import { setWatch, setWatchInput, watchStatus, watchStatusInput } from "../../services/collaboration/watches";
import { projectProcedure, router } from "../trpc";

/** Watching is a reader's choice: every member may follow the project or its models (a read-only token may not). */
export const watchRouter = router({
  status: projectProcedure("project.read")
    .input(watchStatusInput)
    .query(({ ctx, input }) => watchStatus({ ctx, input })),
  set: projectProcedure("project.watch")
    .input(setWatchInput)
    .mutation(({ ctx, input }) => setWatch({ ctx, input })),
});

import { setWatch, setWatchInput, watchStatus, watchStatusInput } from "../../services/collaboration/watches";
import { projectProcedure, router } from "../trpc";

/** Watching is a reader's choice: anyone who sees the project may follow it or its models. */
export const watchRouter = router({
  status: projectProcedure("project.read").input(watchStatusInput).query(({ ctx, input }) => watchStatus({ ctx, input })),
  set: projectProcedure("project.read").input(setWatchInput).mutation(({ ctx, input }) => setWatch({ ctx, input })),
});

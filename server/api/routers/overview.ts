import { activeMembers, leaderboard, leaderboardInput, projectStats, recentRuns, recentRunsInput } from "../../services/tracking/overview";
import { projectProcedure, router } from "../trpc";

export const overviewRouter = router({
  leaderboard: projectProcedure("project.read")
    .input(leaderboardInput)
    .query(({ ctx, input }) => leaderboard({ ctx, input })),
  recent: projectProcedure("project.read")
    .input(recentRunsInput)
    .query(({ ctx, input }) => recentRuns({ ctx, input })),
  stats: projectProcedure("project.read").query(({ ctx }) => projectStats({ ctx })),
  activity: projectProcedure("project.read").query(({ ctx }) => activeMembers({ ctx })),
});

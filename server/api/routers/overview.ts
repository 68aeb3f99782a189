import { activeMembers, leaderboard, leaderboardInput, projectStats } from "../../services/tracking/overview";
import { projectProcedure, router } from "../trpc";

export const overviewRouter = router({
  leaderboard: projectProcedure("project.read").input(leaderboardInput).query(({ ctx, input }) => leaderboard({ ctx, input })),
  stats: projectProcedure("project.read").query(({ ctx }) => projectStats({ ctx })),
  activity: projectProcedure("project.read").query(({ ctx }) => activeMembers({ ctx })),
});

import { needsSetup, setupFirstAdmin, setupInput } from "../../services/users";
import { publicProcedure, router } from "../trpc";

export const setupRouter = router({
  status: publicProcedure.query(async ({ ctx }) => ({ needsSetup: await needsSetup(ctx.db) })),
  createAdmin: publicProcedure.input(setupInput).mutation(({ ctx, input }) => setupFirstAdmin({ ctx, input })),
});

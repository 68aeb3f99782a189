import { createToken, createTokenInput, listMyTokens, revokeToken, revokeTokenInput } from "../../services/tokens";
import { router, sessionProcedure } from "../trpc";

export const tokenRouter = router({
  list: sessionProcedure.query(({ ctx }) => listMyTokens({ ctx })),
  create: sessionProcedure.input(createTokenInput).mutation(({ ctx, input }) => createToken({ ctx, input })),
  revoke: sessionProcedure.input(revokeTokenInput).mutation(({ ctx, input }) => revokeToken({ ctx, input })),
});

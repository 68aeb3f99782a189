import { completePasswordReset, completePasswordResetInput, passwordResetStatus, resetLinkInput } from "../../services/password-resets";
import { publicProcedure, router } from "../trpc";

/** The reset link's page: whether the link still works, then the new password. Requests are a server action (they need the client address). */
export const passwordResetRouter = router({
  status: publicProcedure.input(resetLinkInput).query(({ ctx, input }) => passwordResetStatus({ ctx, input })),
  complete: publicProcedure.input(completePasswordResetInput).mutation(({ ctx, input }) => completePasswordReset({ ctx, input })),
});

import { requireUser } from "../../access/authorize";
import { changePassword, changePasswordInput, signOutEverywhere, updateProfile, updateProfileInput } from "../../services/users";
import { router, sessionProcedure, userProcedure } from "../trpc";

export const accountRouter = router({
  me: userProcedure.query(({ ctx }) => requireUser(ctx).user),
  updateProfile: sessionProcedure.input(updateProfileInput).mutation(({ ctx, input }) => updateProfile({ ctx, input })),
  changePassword: sessionProcedure.input(changePasswordInput).mutation(({ ctx, input }) => changePassword({ ctx, input })),
  signOutEverywhere: sessionProcedure.mutation(({ ctx }) => signOutEverywhere({ ctx })),
});

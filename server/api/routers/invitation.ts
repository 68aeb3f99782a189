import {
  acceptInvitation,
  createInvitation,
  createInvitationInput,
  invitationSecretInput,
  listInvitations,
  previewInvitation,
  revokeInvitation,
  revokeInvitationInput,
  signUpWithInvitation,
  signUpWithInvitationInput,
} from "../../services/invitations";
import { projectProcedure, publicProcedure, router, sessionProcedure } from "../trpc";

export const invitationRouter = router({
  list: projectProcedure("member.manage").query(({ ctx }) => listInvitations({ ctx })),
  create: projectProcedure("member.manage")
    .input(createInvitationInput)
    .mutation(({ ctx, input }) => createInvitation({ ctx, input })),
  revoke: projectProcedure("member.manage")
    .input(revokeInvitationInput)
    .mutation(({ ctx, input }) => revokeInvitation({ ctx, input })),
  preview: publicProcedure.input(invitationSecretInput).query(({ ctx, input }) => previewInvitation({ ctx, input })),
  accept: sessionProcedure.input(invitationSecretInput).mutation(({ ctx, input }) => acceptInvitation({ ctx, input })),
  signUp: publicProcedure.input(signUpWithInvitationInput).mutation(({ ctx, input }) => signUpWithInvitation({ ctx, input })),
});

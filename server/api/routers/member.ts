import { changeMemberRole, changeRoleInput, leaveProject, listMembers, removeMember, removeMemberInput } from "../../services/members";
import { projectProcedure, router } from "../trpc";

export const memberRouter = router({
  list: projectProcedure("project.read").query(({ ctx }) => listMembers({ ctx })),
  changeRole: projectProcedure("member.manage")
    .input(changeRoleInput)
    .mutation(({ ctx, input }) => changeMemberRole({ ctx, input })),
  remove: projectProcedure("member.manage")
    .input(removeMemberInput)
    .mutation(({ ctx, input }) => removeMember({ ctx, input })),
  leave: projectProcedure("member.leave").mutation(({ ctx }) => leaveProject({ ctx })),
});

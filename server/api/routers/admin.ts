import { auditPageInput, listInstanceAudit } from "../../services/audit";
import {
  createUser,
  createUserInput,
  listUsers,
  listUsersInput,
  setUserAdmin,
  setUserDisabled,
  setUserFlagInput,
  setUserPassword,
  setUserPasswordInput,
} from "../../services/users";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  users: adminProcedure.input(listUsersInput).query(({ ctx, input }) => listUsers({ ctx, input })),
  createUser: adminProcedure.input(createUserInput).mutation(({ ctx, input }) => createUser({ ctx, input })),
  setDisabled: adminProcedure.input(setUserFlagInput).mutation(({ ctx, input }) => setUserDisabled({ ctx, input })),
  setAdmin: adminProcedure.input(setUserFlagInput).mutation(({ ctx, input }) => setUserAdmin({ ctx, input })),
  setPassword: adminProcedure.input(setUserPasswordInput).mutation(({ ctx, input }) => setUserPassword({ ctx, input })),
  audit: adminProcedure.input(auditPageInput).query(({ ctx, input }) => listInstanceAudit({ ctx, input })),
});

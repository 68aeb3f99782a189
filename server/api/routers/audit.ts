import { auditPageInput, listProjectAudit } from "../../services/audit";
import { projectProcedure, router } from "../trpc";

export const auditRouter = router({
  list: projectProcedure("audit.read")
    .input(auditPageInput)
    .query(({ ctx, input }) => listProjectAudit({ ctx, input })),
});

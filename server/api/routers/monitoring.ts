import { saveMonitoringConfig, saveMonitoringConfigInput } from "../../services/monitoring/config";
import { projectProcedure, router } from "../trpc";

export const monitoringRouter = router({
  saveConfig: projectProcedure("monitoring.configure")
    .input(saveMonitoringConfigInput)
    .mutation(({ ctx, input }) => saveMonitoringConfig(ctx, input.name, input.config)),
});

import { saveMonitoringConfig, saveMonitoringConfigInput } from "../../services/monitoring/config";
import { getModelMonitoring, getTargetMonitoring, modelMonitoringInput, targetMonitoringInput } from "../../services/monitoring/model-monitoring";
import { projectProcedure, router } from "../trpc";

export const monitoringRouter = router({
  model: projectProcedure("project.read")
    .input(modelMonitoringInput)
    .query(({ ctx, input }) => getModelMonitoring(ctx, input)),
  target: projectProcedure("project.read")
    .input(targetMonitoringInput)
    .query(({ ctx, input }) => getTargetMonitoring(ctx, input)),
  saveConfig: projectProcedure("monitoring.configure")
    .input(saveMonitoringConfigInput)
    .mutation(({ ctx, input }) => saveMonitoringConfig(ctx, input.name, input.config)),
});

import { alertsPage, alertsPageInput } from "../../services/alerts/views";
import { resolveAlert, resolveAlertInput } from "../../services/alerts/resolve";
import {
  alertRuleIdInput,
  createAlertRule,
  createAlertRuleInput,
  deleteAlertRule,
  listAlertRules,
  updateAlertRule,
  updateAlertRuleInput,
} from "../../services/alerts/rules";
import { projectProcedure, router } from "../trpc";

/** Alerts and their rules: everyone in the project reads them; maintainers manage rules and resolve by hand. */
export const alertRouter = router({
  list: projectProcedure("project.read")
    .input(alertsPageInput)
    .query(({ ctx, input }) => alertsPage(ctx, input)),
  rules: projectProcedure("project.read").query(({ ctx }) => listAlertRules(ctx)),
  createRule: projectProcedure("alert.manage")
    .input(createAlertRuleInput)
    .mutation(({ ctx, input }) => createAlertRule(ctx, input)),
  updateRule: projectProcedure("alert.manage")
    .input(updateAlertRuleInput)
    .mutation(({ ctx, input }) => updateAlertRule(ctx, input)),
  deleteRule: projectProcedure("alert.manage")
    .input(alertRuleIdInput)
    .mutation(({ ctx, input }) => deleteAlertRule(ctx, input)),
  resolve: projectProcedure("alert.manage")
    .input(resolveAlertInput)
    .mutation(({ ctx, input }) => resolveAlert(ctx, input)),
});

import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { alertRouter } from "./routers/alert";
import { auditRouter } from "./routers/audit";
import { chartRouter } from "./routers/chart";
import { chartLayoutRouter } from "./routers/chart-layout";
import { commentRouter } from "./routers/comment";
import { compareRouter } from "./routers/compare";
import { experimentRouter } from "./routers/experiment";
import { invitationRouter } from "./routers/invitation";
import { memberRouter } from "./routers/member";
import { modelCardRouter } from "./routers/model-card";
import { monitoringRouter } from "./routers/monitoring";
import { notificationRouter } from "./routers/notification";
import { overviewRouter } from "./routers/overview";
import { passwordResetRouter } from "./routers/password-reset";
import { projectRouter } from "./routers/project";
import { promotionRouter } from "./routers/promotion";
import { registryRouter } from "./routers/registry";
import { runRouter } from "./routers/run";
import { runsTableRouter } from "./routers/runs-table";
import { setupRouter } from "./routers/setup";
import { tokenRouter } from "./routers/token";
import { watchRouter } from "./routers/watch";
import { webhookRouter } from "./routers/webhook";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  setup: setupRouter,
  account: accountRouter,
  passwordReset: passwordResetRouter,
  project: projectRouter,
  member: memberRouter,
  invitation: invitationRouter,
  token: tokenRouter,
  audit: auditRouter,
  experiment: experimentRouter,
  overview: overviewRouter,
  registry: registryRouter,
  promotion: promotionRouter,
  modelCard: modelCardRouter,
  monitoring: monitoringRouter,
  alert: alertRouter,
  run: runRouter,
  runsTable: runsTableRouter,
  chart: chartRouter,
  chartLayout: chartLayoutRouter,
  compare: compareRouter,
  comment: commentRouter,
  notification: notificationRouter,
  watch: watchRouter,
  webhook: webhookRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

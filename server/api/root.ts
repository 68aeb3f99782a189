import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { auditRouter } from "./routers/audit";
import { experimentRouter } from "./routers/experiment";
import { invitationRouter } from "./routers/invitation";
import { memberRouter } from "./routers/member";
import { overviewRouter } from "./routers/overview";
import { projectRouter } from "./routers/project";
import { runRouter } from "./routers/run";
import { setupRouter } from "./routers/setup";
import { tokenRouter } from "./routers/token";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  setup: setupRouter,
  account: accountRouter,
  project: projectRouter,
  member: memberRouter,
  invitation: invitationRouter,
  token: tokenRouter,
  audit: auditRouter,
  experiment: experimentRouter,
  overview: overviewRouter,
  run: runRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

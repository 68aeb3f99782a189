import { accountRouter } from "./routers/account";
import { adminRouter } from "./routers/admin";
import { auditRouter } from "./routers/audit";
import { invitationRouter } from "./routers/invitation";
import { memberRouter } from "./routers/member";
import { projectRouter } from "./routers/project";
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
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);

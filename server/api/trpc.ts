import { initTRPC, TRPCError } from "@trpc/server";
import { transformer } from "./transformer";
import { z } from "zod";
import type { Actor } from "../access/actor";
import { authorizeProject, requireAdmin, requireSessionUser, requireUser } from "../access/authorize";
import type { Permission } from "../access/permissions";
import { createServiceContext, type ServiceContext } from "../context";
import { DomainError, fieldErrorsOf, inputErrorFromDatabase, type FieldErrors } from "../errors";
import { slugField } from "../services/fields";
import { wireDomain } from "../services/wiring";

// 1. Context: who is calling, and the per-request service context.

export type TrpcContext = ServiceContext;

export function createTrpcContext(actor: Actor, origin?: string): TrpcContext {
  wireDomain();
  return { ...createServiceContext(actor, undefined, origin), door: actor.kind === "user" && actor.via === "token" ? "api" : "ui" };
}

/** How each procedure is admitted; the authorization tests enumerate this for every procedure. */
export type Access = { kind: "public" } | { kind: "user" } | { kind: "session" } | { kind: "admin" } | { kind: "project"; permission: Permission };

// 2. Initialisation: one error shape for every procedure, with field-level messages.

const codes: Record<DomainError["kind"], TRPCError["code"]> = {
  invalid: "BAD_REQUEST",
  unauthenticated: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  rate_limited: "TOO_MANY_REQUESTS",
};

const t = initTRPC
  .context<TrpcContext>()
  .meta<{ access: Access }>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      let fieldErrors: FieldErrors | undefined;
      if (cause instanceof DomainError) fieldErrors = cause.fields;
      else if (cause instanceof z.ZodError) fieldErrors = fieldErrorsOf(cause);
      const internal = error.code === "INTERNAL_SERVER_ERROR" && !(cause instanceof DomainError);
      return {
        ...shape,
        message: internal ? "Something went wrong on our side; the error was logged" : shape.message,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, fieldErrors },
      };
    },
  });

/** Domain errors become typed tRPC errors; anything else is logged and hidden. */
const mapErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = inputErrorFromDatabase(result.error.cause) ?? result.error.cause;
    if (cause instanceof DomainError) {
      throw new TRPCError({ code: codes[cause.kind], message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path} failed:`, cause ?? result.error);
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. Procedures: a ladder from public to a named project permission.

const base = t.procedure.use(mapErrors);

export const publicProcedure = base.meta({ access: { kind: "public" } });

/** Signed in, by browser session or access token. */
export const userProcedure = base.meta({ access: { kind: "user" } }).use(({ ctx, next }) => {
  requireUser(ctx);
  return next();
});

/** Signed in through the browser (account and credential management). */
export const sessionProcedure = base.meta({ access: { kind: "session" } }).use(({ ctx, next }) => {
  requireSessionUser(ctx);
  return next();
});

export const adminProcedure = base.meta({ access: { kind: "admin" } }).use(({ ctx, next }) => {
  requireAdmin(ctx);
  return next();
});

/** A member of the project named by `projectSlug` who holds `permission` there. */
export function projectProcedure(permission: Permission) {
  return base
    .meta({ access: { kind: "project", permission } })
    .input(z.object({ projectSlug: slugField }))
    .use(async ({ ctx, input, next }) => next({ ctx: await authorizeProject(ctx, input.projectSlug, permission) }));
}

import { authorizeProject } from "../access/authorize";
import type { Permission } from "../access/permissions";
import { identifyRequest } from "../auth/session";
import { createServiceContext, type ProjectContext, type ServiceContext } from "../context";
import { wireDomain } from "../services/wiring";
import { refusal } from "./download";
import { publicOrigin } from "./public-origin";

/** How a door admits callers and answers a refused or failed request in its clients' shape. */
export type RouteDoor = {
  door: NonNullable<ServiceContext["door"]>;
  /** Whether a browser session counts: never on API doors, where a cookie alone must not write. */
  session: boolean;
  refuse(error: unknown, what: string): Response;
};

/** The app's own routes (downloads, previews, exports): a signed-in browser or a token; plain-text refusals. */
export const BROWSER_DOOR: RouteDoor = { door: "ui", session: true, refuse: refusal };

/**
 * The one way an HTTP route enters a project: authenticate, admit the caller for `permission`
 * through server/access, run `handler` with the project's context, and map what it throws.
 */
export async function projectRoute(
  permission: Permission,
  door: RouteDoor,
  request: Request,
  slug: string,
  handler: (ctx: ProjectContext) => Promise<Response>,
): Promise<Response> {
  wireDomain();
  try {
    const { actor, known } = await identifyRequest(request.headers, { session: door.session, project: slug });
    const base = { ...createServiceContext(actor, undefined, publicOrigin(request.headers)), door: door.door };
    return await handler(await authorizeProject(base, slug, permission, known));
  } catch (error) {
    return door.refuse(error, `${request.method} ${new URL(request.url).pathname}`);
  }
}

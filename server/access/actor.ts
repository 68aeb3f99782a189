export type ActorUser = { id: string; email: string; name: string; isAdmin: boolean };
type ActorToken = { id: string; name: string; projectId: string | null; readOnly: boolean };

/**
 * Who is acting: a person through the browser, a person's access token, Cairn itself, or nobody
 * (with the reason, when credentials were presented but refused).
 */
export type Actor =
  | { kind: "user"; via: "session"; user: ActorUser }
  | { kind: "user"; via: "token"; user: ActorUser; token: ActorToken }
  | { kind: "system"; label: string }
  | { kind: "anonymous"; reason?: string };

export type UserActor = Extract<Actor, { kind: "user" }>;

export const anonymous: Actor = { kind: "anonymous" };
export const systemActor = (label: string): Actor => ({ kind: "system", label });

/** How the actor is named in audit rows and activity. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case "user":
      return actor.via === "token" ? `${actor.user.email} (token ${actor.token.name})` : actor.user.email;
    case "system":
      return actor.label;
    case "anonymous":
      return "anonymous";
  }
}

/** How the actor is named to people, in notifications: a person by name, anything else by label. */
export function actorDisplayName(actor: Actor): string {
  return actor.kind === "user" ? actor.user.name || actor.user.email : actorLabel(actor);
}

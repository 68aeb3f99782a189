/**
 * The role → permission table. It is the only place that says what a role may do; the access
 * module, the README and the authorization tests all read it.
 */
export const ROLES = ["owner", "maintainer", "contributor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "project.read": "See the project: experiments, runs, artifacts, models, members, comments",
  "project.watch": "Watch the project or its models (or stop), to hear of comments, promotions and rollbacks",
  "member.leave": "Leave the project",
  "layout.save": "Keep one's own chart layout in the project: pinned charts, sections opened or closed",
  "project.update": "Rename the project, edit its description and settings",
  "project.archive": "Archive and unarchive the project",
  "project.delete": "Delete the project and everything in it",
  "member.manage": "Invite people, change roles, remove members",
  "audit.read": "Read the project's audit log",
  "experiment.write": "Create, rename and tag experiments",
  "experiment.delete": "Delete and restore experiments",
  "run.write": "Log runs: params, metrics, tags, notes, datasets, artifacts",
  "run.delete": "Delete and restore runs",
  "model.write": "Register models and versions, edit tags and descriptions, move unprotected stages and aliases",
  "model.delete": "Delete registered models and model versions",
  "promotion.request": "Open promotion requests for protected stages and aliases",
  "promotion.review": "Approve, reject or request changes on promotion requests",
  "promotion.rules": "Protect stages and aliases, edit their approval rules and gates",
  "promotion.rollback": "Return a protected stage or alias to its previous version",
  "comment.write": "Comment on runs, model versions and promotion requests; mention people",
  "comment.moderate": "Edit or delete other people's comments",
  "webhook.manage": "Create, edit, test and inspect webhooks",
  "monitoring.write": "Send production telemetry (inference records, labels) and set a version's reference distribution",
  "monitoring.configure": "Choose how a model is watched in production: task, metric, validation metric, retention",
  "alert.manage": "Create, edit and delete alert rules; resolve alerts by hand",
} as const;
export type Permission = keyof typeof PERMISSIONS;

const viewer: Permission[] = ["project.read", "project.watch", "member.leave", "layout.save"];
const contributor: Permission[] = [
  ...viewer,
  "experiment.write",
  "run.write",
  "run.delete",
  "model.write",
  "promotion.request",
  "comment.write",
  "monitoring.write",
];
const maintainer: Permission[] = [
  ...contributor,
  "project.update",
  "experiment.delete",
  "model.delete",
  "promotion.review",
  "promotion.rules",
  "promotion.rollback",
  "comment.moderate",
  "webhook.manage",
  "monitoring.configure",
  "alert.manage",
];
const owner: Permission[] = [...maintainer, "project.archive", "project.delete", "member.manage", "audit.read"];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(owner),
  maintainer: new Set(maintainer),
  contributor: new Set(contributor),
  viewer: new Set(viewer),
};

/**
 * What a read-only access token may still do: read, and nothing else. Every procedure that changes
 * anything (even one's own watch or membership) needs a permission outside this set.
 */
export const READ_ONLY_PERMISSIONS: ReadonlySet<Permission> = new Set(["project.read"]);

/**
 * What remains possible while a project is archived: reading it, deciding its fate, and who has
 * access to it (so access can still be withdrawn). Every other write waits for unarchiving.
 */
export const ARCHIVED_PERMISSIONS: ReadonlySet<Permission> = new Set([
  "project.read",
  "audit.read",
  "project.archive",
  "project.delete",
  "member.manage",
  "member.leave",
]);

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

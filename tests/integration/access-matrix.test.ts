import { describe, expect, it } from "vitest";
import { anonymous, type Actor, type ActorUser } from "../../server/access/actor";
import { PERMISSIONS, ROLES, roleAllows, type Permission, type Role } from "../../server/access/permissions";
import { appRouter } from "../../server/api/root";
import type { Access } from "../../server/api/trpc";
import { createInvitation } from "../../server/services/invitations";
import { authorizeProject } from "../../server/access/authorize";
import { createServiceContext, type ProjectContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { alerts } from "../../server/db/schema";
import { DomainError } from "../../server/errors";
import { createAlertRule } from "../../server/services/alerts/rules";
import { removeMember } from "../../server/services/members";
import { setProjectArchived } from "../../server/services/projects";
import { createExperiment } from "../../server/services/tracking/experiments";
import { logBatch } from "../../server/services/tracking/logging";
import { createLoggedModel } from "../../server/services/tracking/logged-models";
import { createRun } from "../../server/services/tracking/runs";
import { createRegisteredModel } from "../../server/services/registry/models";
import { setAlias } from "../../server/services/registry/targets";
import { createModelVersion } from "../../server/services/registry/versions";
import { openRequest } from "../../server/services/promotions/open-request";
import { saveRule } from "../../server/services/promotions/rules";
import { authenticateToken } from "../../server/services/tokens";
import { setUserDisabled } from "../../server/services/users";
import { addMember, callerFor, makeComment, makeNotification, makeProject, makeUser, outcome, sessionOf, tokenActorOf, unique } from "../support/factories";
import { seedWebhook } from "../support/webhook-seed";

/**
 * Who may call each procedure, written out by hand: anyone ("public"), any signed-in person
 * ("user"), a person at the browser ("session"), an instance administrator ("admin"), or a project
 * member holding the named permission. Every expected outcome below derives from this table, never
 * from a procedure's own declaration, so a wrong declaration fails; a new procedure needs a line.
 */
type Pinned = "public" | "user" | "session" | "admin" | Permission;
const PINNED: Record<string, Pinned> = {
  "setup.status": "public",
  "setup.createAdmin": "public",
  "account.me": "user",
  "account.updateProfile": "session",
  "account.changePassword": "session",
  "account.signOutEverywhere": "session",
  "passwordReset.status": "public",
  "passwordReset.complete": "public",
  "project.list": "user",
  "project.create": "session",
  "project.get": "project.read",
  "project.update": "project.update",
  "project.setPrimaryMetric": "project.update",
  "project.setArchived": "project.archive",
  "project.delete": "project.delete",
  "member.list": "project.read",
  "member.changeRole": "member.manage",
  "member.remove": "member.manage",
  "member.leave": "member.leave",
  "invitation.list": "member.manage",
  "invitation.create": "member.manage",
  "invitation.revoke": "member.manage",
  "invitation.preview": "public",
  "invitation.accept": "session",
  "invitation.signUp": "public",
  "token.list": "session",
  "token.create": "session",
  "token.revoke": "session",
  "audit.list": "audit.read",
  "overview.leaderboard": "project.read",
  "overview.recent": "project.read",
  "overview.stats": "project.read",
  "overview.activity": "project.read",
  "experiment.list": "project.read",
  "experiment.names": "project.read",
  "experiment.get": "project.read",
  "experiment.create": "experiment.write",
  "experiment.rename": "experiment.write",
  "experiment.delete": "experiment.delete",
  "experiment.restore": "experiment.delete",
  "experiment.loggedModel": "project.read",
  "run.search": "project.read",
  "run.get": "project.read",
  "run.metrics": "project.read",
  "run.metricHistory": "project.read",
  "run.artifacts": "project.read",
  "run.setNotes": "run.write",
  "run.delete": "run.delete",
  "run.restore": "run.delete",
  "runsTable.rows": "project.read",
  "runsTable.columns": "project.read",
  "runsTable.authors": "project.read",
  "runsTable.defaultColumns": "project.read",
  "runsTable.groups": "project.read",
  "runsTable.deleteMany": "run.delete",
  "runsTable.restoreMany": "run.delete",
  "chart.series": "project.read",
  "chart.keys": "project.read",
  "compare.runs": "project.read",
  "comment.list": "project.read",
  "comment.create": "comment.write",
  "comment.edit": "comment.write",
  "comment.delete": "comment.write",
  "notification.list": "user",
  "notification.unreadCount": "user",
  "notification.markRead": "session",
  "notification.markAllRead": "session",
  "notification.preferences": "user",
  "notification.setPreferences": "session",
  "watch.status": "project.read",
  "watch.set": "project.watch",
  "chartLayout.get": "project.read",
  "chartLayout.save": "layout.save",
  "registry.models": "project.read",
  "registry.frameworks": "project.read",
  "registry.model": "project.read",
  "registry.version": "project.read",
  "registry.versionRequests": "project.read",
  "registry.versionArtifacts": "project.read",
  "registry.runVersions": "project.read",
  "registry.runLoggedModels": "project.read",
  "registry.timeline": "project.read",
  "registry.targetsAt": "project.read",
  "registry.updateModel": "model.write",
  "registry.registerLoggedModel": "model.write",
  "registry.updateVersion": "model.write",
  "registry.setAlias": "model.write",
  "registry.deleteAlias": "model.write",
  "registry.transitionStage": "model.write",
  "monitoring.model": "project.read",
  "monitoring.target": "project.read",
  "monitoring.saveConfig": "monitoring.configure",
  "alert.list": "project.read",
  "alert.rules": "project.read",
  "alert.createRule": "alert.manage",
  "alert.updateRule": "alert.manage",
  "alert.deleteRule": "alert.manage",
  "alert.resolve": "alert.manage",
  "promotion.rules": "project.read",
  "promotion.ruleRevisions": "project.read",
  "promotion.saveRule": "promotion.rules",
  "promotion.deleteRule": "promotion.rules",
  "promotion.list": "project.read",
  "promotion.get": "project.read",
  "promotion.request": "promotion.request",
  "promotion.review": "promotion.review",
  "promotion.cancel": "promotion.request",
  "promotion.updateJustification": "promotion.request",
  "promotion.rollback": "promotion.rollback",
  "modelCard.get": "project.read",
  "modelCard.save": "model.write",
  "webhook.list": "webhook.manage",
  "webhook.create": "webhook.manage",
  "webhook.update": "webhook.manage",
  "webhook.rotateSecret": "webhook.manage",
  "webhook.delete": "webhook.manage",
  "webhook.deliveries": "webhook.manage",
  "webhook.redeliver": "webhook.manage",
  "webhook.sendTest": "webhook.manage",
  "admin.users": "admin",
  "admin.createUser": "admin",
  "admin.setDisabled": "admin",
  "admin.setAdmin": "admin",
  "admin.setPassword": "admin",
  "admin.audit": "admin",
};

/** What an archived project still allows, by hand: reading it, deciding its fate, and who has access. */
const ARCHIVED_ALLOWS: ReadonlySet<Permission> = new Set(["project.read", "audit.read", "project.archive", "project.delete", "member.manage", "member.leave"]);

/**
 * Every tRPC procedure, with an input that succeeds for whoever is allowed to call it. A procedure
 * missing here fails the first test, so each new procedure joins the matrix with one line.
 * `foreign` builds an input that names an object of another project (or person): it must be refused.
 */
type Fixture = Awaited<ReturnType<typeof makeFixture>>;
/**
 * `expectFor` overrides the outcome for some callers where a domain rule narrows the permission:
 * e.g. only the requester or a reviewer may cancel a promotion request, and only the requester may edit its text.
 */
type Case = { input: (f: Fixture) => unknown; foreign?: (f: Fixture) => unknown; expect?: string; expectFor?: Partial<Record<Role, string>> };

const matrix: Record<string, Case> = {
  "setup.status": { input: () => undefined },
  "setup.createAdmin": { input: () => ({ email: `${unique("a")}@example.com`, name: "A", password: "long enough pw" }), expect: "CONFLICT" },
  "account.me": { input: () => undefined },
  "account.updateProfile": { input: () => ({ name: "Renamed" }) },
  "account.changePassword": { input: () => ({ currentPassword: "correct horse battery", newPassword: "another long one" }) },
  "account.signOutEverywhere": { input: () => undefined },
  "passwordReset.status": { input: () => ({ token: "never-issued" }) },
  "passwordReset.complete": { input: () => ({ token: "never-issued", password: "long enough pw" }), expect: "NOT_FOUND" },
  "project.list": { input: () => ({}) },
  "project.create": { input: () => ({ slug: unique("new"), name: "New" }) },
  "project.get": { input: (f) => ({ projectSlug: f.slug }) },
  "project.update": { input: (f) => ({ projectSlug: f.slug, name: "Renamed", description: "d" }) },
  "project.setPrimaryMetric": { input: (f) => ({ projectSlug: f.slug, key: "loss", goal: "min", threshold: 0.6 }) },
  "project.setArchived": { input: (f) => ({ projectSlug: f.slug, archived: true }) },
  "project.delete": { input: (f) => ({ projectSlug: f.slug, confirmSlug: f.slug }) },
  "member.list": { input: (f) => ({ projectSlug: f.slug }) },
  "member.changeRole": {
    input: (f) => ({ projectSlug: f.slug, userId: f.target.id, role: "contributor" }),
    foreign: (f) => ({ projectSlug: f.slug, userId: f.other.member.id, role: "contributor" }),
  },
  "member.remove": {
    input: (f) => ({ projectSlug: f.slug, userId: f.target.id }),
    foreign: (f) => ({ projectSlug: f.slug, userId: f.other.member.id }),
  },
  "member.leave": { input: (f) => ({ projectSlug: f.slug }) },
  "invitation.list": { input: (f) => ({ projectSlug: f.slug }) },
  "invitation.create": { input: (f) => ({ projectSlug: f.slug, email: `${unique("inv")}@example.com`, role: "viewer" }) },
  "invitation.revoke": {
    input: (f) => ({ projectSlug: f.slug, invitationId: f.invitationId }),
    foreign: (f) => ({ projectSlug: f.slug, invitationId: f.other.invitationId }),
  },
  "invitation.preview": { input: (f) => ({ secret: f.newcomerSecret }) },
  "invitation.accept": { input: (f) => ({ secret: f.actorInvitationSecret }) },
  "invitation.signUp": { input: (f) => ({ secret: f.newcomerSecret, name: "New person", password: "long enough pw" }) },
  "token.list": { input: () => undefined },
  "token.create": { input: () => ({ name: "ci", expiresInDays: 30 }) },
  "token.revoke": { input: (f) => ({ tokenId: f.actorTokenId }), foreign: (f) => ({ tokenId: f.other.tokenId }) },
  "audit.list": { input: (f) => ({ projectSlug: f.slug }) },
  "overview.leaderboard": { input: (f) => ({ projectSlug: f.slug }) },
  "overview.recent": { input: (f) => ({ projectSlug: f.slug }) },
  "overview.stats": { input: (f) => ({ projectSlug: f.slug }) },
  "overview.activity": { input: (f) => ({ projectSlug: f.slug }) },
  "experiment.list": { input: (f) => ({ projectSlug: f.slug }) },
  "experiment.names": { input: (f) => ({ projectSlug: f.slug }) },
  "experiment.get": {
    input: (f) => ({ projectSlug: f.slug, experimentId: f.experimentId }),
    foreign: (f) => ({ projectSlug: f.slug, experimentId: f.other.experimentId }),
  },
  "experiment.create": { input: (f) => ({ projectSlug: f.slug, name: unique("exp") }) },
  "experiment.rename": {
    input: (f) => ({ projectSlug: f.slug, experimentId: f.experimentId, newName: unique("exp") }),
    foreign: (f) => ({ projectSlug: f.slug, experimentId: f.other.experimentId, newName: unique("exp") }),
  },
  "experiment.delete": {
    input: (f) => ({ projectSlug: f.slug, experimentId: f.experimentId }),
    foreign: (f) => ({ projectSlug: f.slug, experimentId: f.other.experimentId }),
  },
  "experiment.restore": {
    input: (f) => ({ projectSlug: f.slug, experimentId: f.experimentId }),
    foreign: (f) => ({ projectSlug: f.slug, experimentId: f.other.experimentId }),
  },
  "experiment.loggedModel": {
    input: (f) => ({ projectSlug: f.slug, modelId: f.loggedModelId }),
    foreign: (f) => ({ projectSlug: f.slug, modelId: f.other.loggedModelId }),
  },
  "run.search": { input: (f) => ({ projectSlug: f.slug, filter: "metrics.loss < 1 or params.lr = '0.1'" }) },
  "run.get": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "run.metrics": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "run.metricHistory": {
    input: (f) => ({ projectSlug: f.slug, runId: f.runId, metricKey: "loss" }),
    foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId, metricKey: "loss" }),
  },
  "run.artifacts": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "run.setNotes": {
    input: (f) => ({ projectSlug: f.slug, runId: f.runId, content: "# Notes" }),
    foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId, content: "x" }),
  },
  "run.delete": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "run.restore": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "runsTable.rows": {
    input: (f) => ({
      projectSlug: f.slug,
      filter: "metrics.loss < 1 or params.lr = '0.1'",
      columns: ["metrics.loss", "params.lr"],
      sort: [{ column: "metrics.loss", desc: true }],
    }),
  },
  "runsTable.columns": { input: (f) => ({ projectSlug: f.slug, search: "lo" }) },
  "runsTable.authors": { input: (f) => ({ projectSlug: f.slug }) },
  "runsTable.defaultColumns": { input: (f) => ({ projectSlug: f.slug, filter: "params.lr = '0.1'", sort: [{ column: "metrics.loss", desc: true }] }) },
  "runsTable.groups": { input: (f) => ({ projectSlug: f.slug, groupBy: "params.lr", metrics: ["metrics.loss"] }) },
  "runsTable.deleteMany": {
    input: (f) => ({ projectSlug: f.slug, runIds: [f.runId] }),
    foreign: (f) => ({ projectSlug: f.slug, runIds: [f.runId, f.other.runId] }),
  },
  "runsTable.restoreMany": {
    input: (f) => ({ projectSlug: f.slug, runIds: [f.runId] }),
    foreign: (f) => ({ projectSlug: f.slug, runIds: [f.runId, f.other.runId] }),
  },
  "chart.series": {
    input: (f) => ({ projectSlug: f.slug, runIds: [f.runId], metricKey: "loss", xAxis: "step" }),
    foreign: (f) => ({ projectSlug: f.slug, runIds: [f.runId, f.other.runId], metricKey: "loss", xAxis: "step" }),
  },
  "chart.keys": { input: (f) => ({ projectSlug: f.slug, runIds: [f.runId] }), foreign: (f) => ({ projectSlug: f.slug, runIds: [f.other.runId] }) },
  "compare.runs": {
    input: (f) => ({ projectSlug: f.slug, runIds: [f.runId, f.secondRunId] }),
    foreign: (f) => ({ projectSlug: f.slug, runIds: [f.runId, f.other.runId] }),
  },
  "comment.list": {
    input: (f) => ({ projectSlug: f.slug, subject: { type: "run", id: f.runId } }),
    foreign: (f) => ({ projectSlug: f.slug, subject: { type: "run", id: f.other.runId } }),
  },
  "comment.create": {
    input: (f) => ({ projectSlug: f.slug, subject: { type: "run", id: f.runId }, body: "Looks good" }),
    foreign: (f) => ({ projectSlug: f.slug, subject: { type: "run", id: f.other.runId }, body: "x" }),
  },
  "comment.edit": {
    input: (f) => ({ projectSlug: f.slug, commentId: f.commentId, body: "Edited" }),
    foreign: (f) => ({ projectSlug: f.slug, commentId: f.other.commentId, body: "x" }),
  },
  "comment.delete": {
    input: (f) => ({ projectSlug: f.slug, commentId: f.commentId }),
    foreign: (f) => ({ projectSlug: f.slug, commentId: f.other.commentId }),
  },
  "notification.list": { input: () => ({ unreadOnly: true }) },
  "notification.unreadCount": { input: () => undefined },
  "notification.markRead": { input: (f) => ({ notificationId: f.notificationId }), foreign: (f) => ({ notificationId: f.other.notificationId }) },
  "notification.markAllRead": { input: () => undefined },
  "notification.preferences": { input: () => undefined },
  "notification.setPreferences": { input: () => ({ emailNotifications: false }) },
  "watch.status": { input: (f) => ({ projectSlug: f.slug, subject: { type: "project" } }) },
  "watch.set": { input: (f) => ({ projectSlug: f.slug, subject: { type: "project" }, watching: true }) },
  "chartLayout.get": { input: (f) => ({ projectSlug: f.slug }) },
  "chartLayout.save": { input: (f) => ({ projectSlug: f.slug, pinned: ["loss"], sections: { "prefix:val": true } }) },
  "registry.models": { input: (f) => ({ projectSlug: f.slug, query: "m" }) },
  "registry.frameworks": { input: (f) => ({ projectSlug: f.slug }) },
  "registry.model": { input: (f) => ({ projectSlug: f.slug, name: f.modelName }), foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName }) },
  "registry.version": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, version: 1 }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, version: 1 }),
  },
  "registry.versionRequests": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, version: 1 }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, version: 1 }),
  },
  "registry.versionArtifacts": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, version: 1 }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, version: 1 }),
  },
  "registry.runVersions": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "registry.runLoggedModels": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "registry.timeline": { input: (f) => ({ projectSlug: f.slug, name: f.modelName }), foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName }) },
  "registry.targetsAt": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, at: new Date() }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, at: new Date() }),
  },
  "registry.updateModel": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, description: "d" }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, description: "d" }),
  },
  "registry.registerLoggedModel": {
    input: (f) => ({ projectSlug: f.slug, modelId: f.loggedModelId, name: f.modelName }),
    foreign: (f) => ({ projectSlug: f.slug, modelId: f.other.loggedModelId, name: f.modelName }),
  },
  "registry.updateVersion": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, version: 1, description: "d" }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, version: 1 }),
  },
  "registry.setAlias": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, alias: "challenger", version: 1 }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, alias: "x", version: 1 }),
  },
  "registry.deleteAlias": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, alias: "shadow" }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, alias: "shadow" }),
  },
  "registry.transitionStage": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, version: 1, stage: "Staging" }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, version: 1, stage: "Staging" }),
  },
  "monitoring.model": { input: (f) => ({ projectSlug: f.slug, name: f.modelName }), foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName }) },
  "monitoring.target": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, target: "champion", range: { from: new Date(Date.now() - 86_400_000), to: new Date() } }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, target: "champion", range: { from: new Date(Date.now() - 86_400_000), to: new Date() } }),
  },
  "monitoring.saveConfig": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, config: { task: "regression", metric: "mae", validationMetric: "val_mae", retentionDays: 14 } }),
    foreign: (f) => ({
      projectSlug: f.slug,
      name: f.other.modelName,
      config: { task: "regression", metric: "mae", validationMetric: null, retentionDays: 14 },
    }),
  },
  "alert.list": { input: (f) => ({ projectSlug: f.slug, status: "open" }) },
  "alert.rules": { input: (f) => ({ projectSlug: f.slug }) },
  "alert.createRule": { input: (f) => ({ projectSlug: f.slug, name: "Failed runs", config: { kind: "run_failed" } }) },
  "alert.updateRule": {
    input: (f) => ({ projectSlug: f.slug, ruleId: f.alertRuleId, enabled: false }),
    foreign: (f) => ({ projectSlug: f.slug, ruleId: f.other.alertRuleId, enabled: false }),
  },
  "alert.deleteRule": {
    input: (f) => ({ projectSlug: f.slug, ruleId: f.alertRuleId }),
    foreign: (f) => ({ projectSlug: f.slug, ruleId: f.other.alertRuleId }),
  },
  "alert.resolve": { input: (f) => ({ projectSlug: f.slug, alertId: f.alertId }), foreign: (f) => ({ projectSlug: f.slug, alertId: f.other.alertId }) },
  "promotion.rules": { input: (f) => ({ projectSlug: f.slug }) },
  "promotion.ruleRevisions": { input: (f) => ({ projectSlug: f.slug, ruleId: f.ruleId }), foreign: (f) => ({ projectSlug: f.slug, ruleId: f.other.ruleId }) },
  "promotion.saveRule": { input: (f) => ({ projectSlug: f.slug, target: { kind: "alias", name: "gold" }, requiredApprovals: 2 }) },
  "promotion.deleteRule": { input: (f) => ({ projectSlug: f.slug, ruleId: f.ruleId }), foreign: (f) => ({ projectSlug: f.slug, ruleId: f.other.ruleId }) },
  "promotion.list": { input: (f) => ({ projectSlug: f.slug }) },
  "promotion.get": { input: (f) => ({ projectSlug: f.slug, number: 1 }), foreign: (f) => ({ projectSlug: f.slug, number: 2 }) },
  "promotion.request": {
    input: (f) => ({ projectSlug: f.slug, modelName: f.modelName, version: 1, target: { kind: "alias", name: "champion" } }),
    foreign: (f) => ({ projectSlug: f.slug, modelName: f.other.modelName, version: 1, target: { kind: "alias", name: "champion" } }),
  },
  "promotion.review": {
    input: (f) => ({ projectSlug: f.slug, number: 1, decision: "approve" }),
    foreign: (f) => ({ projectSlug: f.slug, number: 2, decision: "approve" }),
  },
  // The requester (here the fixture's owner) or a reviewer may cancel.
  "promotion.cancel": {
    input: (f) => ({ projectSlug: f.slug, number: 1 }),
    foreign: (f) => ({ projectSlug: f.slug, number: 2 }),
    expectFor: { contributor: "FORBIDDEN" },
  },
  // Only the requester edits the justification; the actor never is.
  "promotion.updateJustification": {
    input: (f) => ({ projectSlug: f.slug, number: 1, justification: "x" }),
    foreign: (f) => ({ projectSlug: f.slug, number: 2, justification: "x" }),
    expectFor: { owner: "FORBIDDEN", maintainer: "FORBIDDEN", contributor: "FORBIDDEN" },
  },
  "promotion.rollback": {
    input: (f) => ({ projectSlug: f.slug, modelName: f.modelName, target: { kind: "alias", name: "champion" } }),
    foreign: (f) => ({ projectSlug: f.slug, modelName: f.other.modelName, target: { kind: "alias", name: "champion" } }),
  },
  "modelCard.get": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, version: 1 }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, version: 1 }),
  },
  "modelCard.save": {
    input: (f) => ({ projectSlug: f.slug, name: f.modelName, version: 1, content: { owners: "ML platform team" } }),
    foreign: (f) => ({ projectSlug: f.slug, name: f.other.modelName, version: 1, content: { owners: "x" } }),
  },
  "webhook.list": { input: (f) => ({ projectSlug: f.slug }) },
  "webhook.create": { input: (f) => ({ projectSlug: f.slug, url: "https://ci.example.invalid/hook", events: ["promotion.applied"] }) },
  "webhook.update": {
    input: (f) => ({ projectSlug: f.slug, webhookId: f.webhookId, active: false }),
    foreign: (f) => ({ projectSlug: f.slug, webhookId: f.other.webhookId, active: false }),
  },
  "webhook.rotateSecret": {
    input: (f) => ({ projectSlug: f.slug, webhookId: f.webhookId }),
    foreign: (f) => ({ projectSlug: f.slug, webhookId: f.other.webhookId }),
  },
  "webhook.delete": {
    input: (f) => ({ projectSlug: f.slug, webhookId: f.webhookId }),
    foreign: (f) => ({ projectSlug: f.slug, webhookId: f.other.webhookId }),
  },
  "webhook.deliveries": {
    input: (f) => ({ projectSlug: f.slug, webhookId: f.webhookId }),
    foreign: (f) => ({ projectSlug: f.slug, webhookId: f.other.webhookId }),
  },
  "webhook.redeliver": {
    input: (f) => ({ projectSlug: f.slug, deliveryId: f.deliveryId }),
    foreign: (f) => ({ projectSlug: f.slug, deliveryId: f.other.deliveryId }),
  },
  "webhook.sendTest": {
    input: (f) => ({ projectSlug: f.slug, webhookId: f.webhookId }),
    foreign: (f) => ({ projectSlug: f.slug, webhookId: f.other.webhookId }),
  },
  "admin.users": { input: () => ({}) },
  "admin.createUser": { input: () => ({ email: `${unique("u")}@example.com`, name: "U", password: "long enough pw" }) },
  "admin.setDisabled": { input: (f) => ({ userId: f.target.id, value: true }) },
  "admin.setAdmin": { input: (f) => ({ userId: f.target.id, value: true }) },
  "admin.setPassword": { input: (f) => ({ userId: f.target.id, password: "long enough pw" }) },
  "admin.audit": { input: () => ({}) },
};

type ProcedureDef = { _def: { type: "query" | "mutation" | "subscription"; meta?: { access: Access } } };
const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures).map(
  ([path, procedure]) => ({ path, access: procedure._def.meta?.access, writes: procedure._def.type === "mutation" }),
);

const declared = (access: Access): Pinned => (access.kind === "project" ? access.permission : access.kind);

type Other = Awaited<ReturnType<typeof makeOther>>;
const noOther = new Proxy({} as Other, {
  get() {
    throw new Error("this case needs a fixture with the other project");
  },
});

/**
 * A project where `actorUser` holds `role` (or nothing), and with `other`, a second project it must
 * never reach.
 */
async function makeFixture(role: Role | null, options: { actorUser?: ActorUser; other?: boolean } = {}) {
  const owner = await makeUser();
  const project = await makeProject(owner);
  const actor = options.actorUser ?? (await makeUser());
  const ownerCtx = await authorizeProject(createServiceContext(sessionOf(owner)), project.slug, "member.manage");
  const invite = (email: string) => createInvitation({ ctx: ownerCtx, input: { email, role: "viewer" } });
  const actorInvitation = await invite(actor.email);
  const newcomerInvitation = await invite(`${unique("newcomer")}@example.com`);
  if (role) await addMember(project.id, actor, role);
  const target = await makeUser();
  await addMember(project.id, target, "viewer");
  const actorToken = await tokenActorOf(actor);
  const tracked = await seedTracking(ownerCtx, 1);
  const secondRun = await createRun({ ctx: ownerCtx, input: { experimentId: tracked.experimentId } });
  const hook = await seedWebhook(ownerCtx, { delivery: "failed" });
  const registry = await seedRegistry(ownerCtx, tracked.runId, 1);
  const alerting = await seedAlert(ownerCtx);
  const commentId = await makeComment(project.id, tracked.runId, actor.id);
  const notificationId = await makeNotification(actor.id, project.id);

  return {
    slug: project.slug,
    projectId: project.id,
    ownerCtx,
    actor,
    actorTokenSecret: actorToken.secret,
    target,
    invitationId: newcomerInvitation.invitation.id,
    newcomerSecret: newcomerInvitation.secret,
    actorInvitationSecret: actorInvitation.secret,
    actorTokenId: (actorToken.actor as Extract<Actor, { via: "token" }>).token.id,
    experimentId: tracked.experimentId,
    loggedModelId: tracked.loggedModelId,
    runId: tracked.runId,
    secondRunId: secondRun.info.runId,
    commentId,
    notificationId,
    webhookId: hook.webhook.id,
    deliveryId: hook.deliveryId!,
    ...registry,
    ...alerting,
    other: options.other ? await makeOther() : noOther,
  };
}

/** The project next door, with one object of every kind that a foreign input names. */
async function makeOther() {
  const otherOwner = await makeUser();
  const otherProject = await makeProject(otherOwner);
  const otherMember = await makeUser();
  await addMember(otherProject.id, otherMember, "contributor");
  const otherCtx = await authorizeProject(createServiceContext(sessionOf(otherOwner)), otherProject.slug, "member.manage");
  const otherInvitation = await createInvitation({ ctx: otherCtx, input: { email: `${unique("y")}@example.com`, role: "viewer" } });
  const otherToken = await tokenActorOf(otherOwner);
  // Two experiments there, so the foreign experiment's number does not exist here.
  const otherTracked = await seedTracking(otherCtx, 2);
  const otherHook = await seedWebhook(otherCtx, { delivery: "failed" });
  // Two requests there, so the foreign request's number does not exist here.
  const otherRegistry = await seedRegistry(otherCtx, otherTracked.runId, 2);
  const otherAlerting = await seedAlert(otherCtx);
  const otherCommentId = await makeComment(otherProject.id, otherTracked.runId, otherMember.id);
  const otherNotificationId = await makeNotification(otherMember.id, otherProject.id);
  return {
    ...otherRegistry,
    ...otherAlerting,
    slug: otherProject.slug,
    webhookId: otherHook.webhook.id,
    deliveryId: otherHook.deliveryId!,
    projectId: otherProject.id,
    member: otherMember,
    invitationId: otherInvitation.invitation.id,
    tokenId: (otherToken.actor as Extract<Actor, { via: "token" }>).token.id,
    experimentId: otherTracked.experimentId,
    loggedModelId: otherTracked.loggedModelId,
    runId: otherTracked.runId,
    commentId: otherCommentId,
    notificationId: otherNotificationId,
  };
}

/**
 * A model with versions 1 and 2, @champion moved from 1 to 2 and then protected, @shadow unprotected,
 * and `requests` open promotion requests opened by the owner (#1: version 1 back to @champion).
 */
async function seedRegistry(ctx: ProjectContext, runId: string, requests: number) {
  const modelName = unique("model");
  await createRegisteredModel({ ctx, input: { name: modelName } });
  for (let v = 0; v < 3; v++) await createModelVersion({ ctx, input: { name: modelName, source: `runs:/${runId}/model`, runId } });
  await setAlias({ ctx, input: { name: modelName, alias: "champion", version: 1 } });
  await setAlias({ ctx, input: { name: modelName, alias: "champion", version: 2 } });
  await setAlias({ ctx, input: { name: modelName, alias: "shadow", version: 2 } });
  const rule = await saveRule({ ctx, input: { target: { kind: "alias", name: "champion" } } });
  for (let n = 1; n <= requests; n++) {
    await openRequest({ ctx, input: { modelName, version: n === 1 ? 1 : 3, target: { kind: "alias", name: "champion" } }, via: "ui" });
  }
  return { modelName, ruleId: rule.id };
}

/** A training alert rule with one open alert (inserted directly: test data, as if an evaluation had opened it). */
async function seedAlert(ctx: ProjectContext) {
  const rule = await createAlertRule(ctx, { name: unique("rule"), config: { kind: "run_failed" } });
  const [alert] = await getDb()
    .insert(alerts)
    .values({ projectId: ctx.project.id, ruleId: rule.id, subject: `run:${unique("run")}`, title: "A run failed" })
    .returning({ id: alerts.id });
  return { alertRuleId: rule.id, alertId: alert!.id };
}

/** `experiments` experiments, the last holding a run with a logged metric and a logged model. */
async function seedTracking(ctx: ProjectContext, experiments: number) {
  let experimentId = "0";
  for (let i = 0; i < experiments; i++) experimentId = (await createExperiment({ ctx, input: { name: unique("exp") } })).experimentId;
  const run = await createRun({ ctx, input: { experimentId } });
  await logBatch({ ctx, input: { runId: run.info.runId, metrics: [{ key: "loss", value: 0.5, timestamp: 1, step: 0 }] } });
  const model = await createLoggedModel({ ctx, input: { experimentId, sourceRunId: run.info.runId } });
  return { experimentId, runId: run.info.runId, loggedModelId: model.info.modelId };
}

/**
 * The situations a caller can be in besides holding a role: each builds its fixture. The actor is
 * always a real person whose credentials go through the real checks.
 */
const SITUATIONS = {
  nobody: () => makeFixture(null, { other: true }),
  admin: async () => makeFixture(null, { actorUser: await makeUser({ isAdmin: true }), other: true }),
  owner: () => makeFixture("owner", { other: true }),
  maintainer: () => makeFixture("maintainer"),
  contributor: () => makeFixture("contributor"),
  viewer: () => makeFixture("viewer"),
  /** The actor is an owner of both projects; their token is restricted to the other one. */
  restricted: async () => {
    const f = await makeFixture("owner", { other: true });
    await addMember(f.other.projectId, f.actor, "owner");
    return f;
  },
  /** The actor was a contributor, then removed by an owner. */
  former: async () => {
    const f = await makeFixture("contributor");
    await removeMember({ ctx: f.ownerCtx, input: { userId: f.actor.id } });
    return f;
  },
  /** The actor is an owner whose account an administrator disabled. */
  disabled: async () => {
    const f = await makeFixture("owner");
    const admin = createServiceContext(sessionOf(await makeUser({ isAdmin: true })));
    await setUserDisabled({ ctx: admin, input: { userId: f.actor.id, value: true } });
    return f;
  },
  /** The actor is an owner of a project that was archived. */
  archived: async () => {
    const f = await makeFixture("owner");
    await setProjectArchived({ ctx: f.ownerCtx, input: { archived: true } });
    return f;
  },
} satisfies Record<string, () => Promise<Fixture>>;
type Situation = keyof typeof SITUATIONS;

// Cases that change nothing (reads, and refusals) share one fixture per situation; a write that
// succeeds gets a fresh one.
const sharedFixtures = new Map<Situation, Promise<Fixture>>();
function fixtureFor(situation: Situation, changes: boolean): Promise<Fixture> {
  if (changes) return SITUATIONS[situation]();
  let fixture = sharedFixtures.get(situation);
  if (!fixture) sharedFixtures.set(situation, (fixture = SITUATIONS[situation]()));
  return fixture;
}

/** The actor a presented token resolves to, as the tRPC route does: a refused token leaves the caller anonymous. */
async function actorOfToken(secret: string): Promise<Actor> {
  try {
    return (await authenticateToken(getDb(), secret)).actor;
  } catch (error) {
    if (error instanceof DomainError) return { kind: "anonymous", reason: error.message };
    throw error;
  }
}

function invoke(actor: Actor, path: string, input: unknown) {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], callerFor(actor));
  return outcome(() => (fn as (i: unknown) => Promise<unknown>)(input));
}

describe("authorization matrix", () => {
  it("pins every procedure's access by hand, and each declaration matches it", () => {
    for (const { path, access } of procedures) {
      expect(access, `${path} has no access meta`).toBeDefined();
      expect(PINNED[path], `${path} has no row in PINNED`).toBeDefined();
      expect(declared(access!), `${path} declares the wrong access`).toBe(PINNED[path]);
    }
    expect(Object.keys(PINNED).sort()).toEqual(procedures.map((p) => p.path).sort());
    expect(Object.keys(matrix).sort()).toEqual(procedures.map((p) => p.path).sort());
  });

  it("admits no write on a read permission: a read-only token or an archived project would pass it", () => {
    const writesOnRead = procedures.filter((p) => p.writes && (PINNED[p.path] === "project.read" || PINNED[p.path] === "audit.read")).map((p) => p.path);
    expect(writesOnRead).toEqual([]);
  });

  for (const { path, writes } of procedures) {
    const entry = matrix[path]!;
    const pinned = PINNED[path];
    if (!pinned) continue;
    /** One case: `who` in `situation` calls the procedure and gets `expected`. */
    const check = (name: string, situation: Situation, expected: string, who: (f: Fixture) => Actor | Promise<Actor>, input = entry.input) =>
      it(`${name}: ${expected}`, async () => {
        const f = await fixtureFor(situation, writes && expected === "OK");
        const got = await invoke(await who(f), path, input(f));
        // A write that should have been refused may have changed the shared fixture: later cases get a new one.
        if (got !== expected && writes) sharedFixtures.delete(situation);
        expect(got).toBe(expected);
      });
    const session = (f: Fixture) => sessionOf(f.actor);

    if (pinned in PERMISSIONS) {
      const permission = pinned as Permission;
      const allowed = (role: Role) => (roleAllows(role, permission) ? (entry.expectFor?.[role] ?? entry.expect ?? "OK") : "FORBIDDEN");
      describe(`${path} (needs ${permission})`, () => {
        check("anonymous", "nobody", "UNAUTHORIZED", () => anonymous);
        check("a non-member", "nobody", "NOT_FOUND", session);
        for (const role of ROLES) check(role, role, allowed(role), session);
        check(
          "a read-only token of an owner",
          "owner",
          writes || permission !== "project.read" ? "FORBIDDEN" : allowed("owner"),
          async (f) => (await tokenActorOf(f.actor, { readOnly: true })).actor,
        );
        check(
          "a token restricted to another project",
          "restricted",
          "NOT_FOUND",
          async (f) => (await tokenActorOf(f.actor, { projectId: f.other.projectId })).actor,
        );
        check("a removed member", "former", "NOT_FOUND", session);
        check("a disabled owner's token", "disabled", "UNAUTHORIZED", (f) => actorOfToken(f.actorTokenSecret));
        check("an owner of an archived project", "archived", ARCHIVED_ALLOWS.has(permission) ? allowed("owner") : "FORBIDDEN", session);
        if (entry.foreign) check("an owner naming ids from another project", "owner", "NOT_FOUND", session, entry.foreign);
      });
      continue;
    }

    const kind = pinned;
    const signedIn = kind === "admin" ? "FORBIDDEN" : (entry.expect ?? "OK");
    describe(`${path} (${kind})`, () => {
      check("anonymous", "nobody", kind === "public" ? (entry.expect ?? "OK") : "UNAUTHORIZED", () => anonymous);
      if (kind === "public") return;
      check("a signed-in person", "nobody", signedIn, session);
      check("an access token", "admin", kind === "user" ? (entry.expect ?? "OK") : "FORBIDDEN", async (f) => (await tokenActorOf(f.actor)).actor);
      check("a disabled person's token", "disabled", "UNAUTHORIZED", (f) => actorOfToken(f.actorTokenSecret));
      if (kind === "admin") check("an administrator", "admin", entry.expect ?? "OK", session);
      if (entry.foreign) check("a signed-in person naming another person's objects", "nobody", "NOT_FOUND", session, entry.foreign);
    });
  }
});

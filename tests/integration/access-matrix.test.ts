import { describe, expect, it } from "vitest";
import { anonymous, type Actor, type ActorUser } from "../../server/access/actor";
import { ROLES, roleAllows, type Role } from "../../server/access/permissions";
import { appRouter } from "../../server/api/root";
import type { Access } from "../../server/api/trpc";
import { createInvitation } from "../../server/services/invitations";
import { authorizeProject } from "../../server/access/authorize";
import { createServiceContext, type ProjectContext } from "../../server/context";
import { createExperiment } from "../../server/services/tracking/experiments";
import { logBatch } from "../../server/services/tracking/logging";
import { createRun } from "../../server/services/tracking/runs";
import {
  addMember,
  callerFor,
  makeProject,
  makeUser,
  outcome,
  sessionOf,
  tokenActorOf,
  unique,
} from "../support/factories";

/**
 * Every tRPC procedure, with an input that succeeds for whoever is allowed to call it. A procedure
 * missing here fails the first test, so each new procedure joins the matrix with one line.
 * `foreign` builds an input that names an object of another project (or person): it must be refused.
 */
type Fixture = Awaited<ReturnType<typeof makeFixture>>;
type Case = { input: (f: Fixture) => unknown; foreign?: (f: Fixture) => unknown; expect?: string };

const matrix: Record<string, Case> = {
  "setup.status": { input: () => undefined },
  "setup.createAdmin": { input: () => ({ email: `${unique("a")}@example.com`, name: "A", password: "long enough pw" }), expect: "CONFLICT" },
  "account.me": { input: () => undefined },
  "account.updateProfile": { input: () => ({ name: "Renamed" }) },
  "account.changePassword": { input: () => ({ currentPassword: "correct horse battery", newPassword: "another long one" }) },
  "account.signOutEverywhere": { input: () => undefined },
  "project.list": { input: () => ({}) },
  "project.create": { input: () => ({ slug: unique("new"), name: "New" }) },
  "project.get": { input: (f) => ({ projectSlug: f.slug }) },
  "project.update": { input: (f) => ({ projectSlug: f.slug, name: "Renamed", description: "d" }) },
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
  "experiment.list": { input: (f) => ({ projectSlug: f.slug }) },
  "experiment.get": { input: (f) => ({ projectSlug: f.slug, experimentId: f.experimentId }), foreign: (f) => ({ projectSlug: f.slug, experimentId: f.other.experimentId }) },
  "experiment.create": { input: (f) => ({ projectSlug: f.slug, name: unique("exp") }) },
  "experiment.rename": { input: (f) => ({ projectSlug: f.slug, experimentId: f.experimentId, newName: unique("exp") }), foreign: (f) => ({ projectSlug: f.slug, experimentId: f.other.experimentId, newName: unique("exp") }) },
  "experiment.delete": { input: (f) => ({ projectSlug: f.slug, experimentId: f.experimentId }), foreign: (f) => ({ projectSlug: f.slug, experimentId: f.other.experimentId }) },
  "experiment.restore": { input: (f) => ({ projectSlug: f.slug, experimentId: f.experimentId }), foreign: (f) => ({ projectSlug: f.slug, experimentId: f.other.experimentId }) },
  "run.search": { input: (f) => ({ projectSlug: f.slug, filter: "metrics.loss < 1 or params.lr = '0.1'" }) },
  "run.get": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "run.metrics": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "run.metricHistory": { input: (f) => ({ projectSlug: f.slug, runId: f.runId, metricKey: "loss" }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId, metricKey: "loss" }) },
  "run.artifacts": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "run.setNotes": { input: (f) => ({ projectSlug: f.slug, runId: f.runId, content: "# Notes" }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId, content: "x" }) },
  "run.delete": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "run.restore": { input: (f) => ({ projectSlug: f.slug, runId: f.runId }), foreign: (f) => ({ projectSlug: f.slug, runId: f.other.runId }) },
  "admin.users": { input: () => ({}) },
  "admin.createUser": { input: () => ({ email: `${unique("u")}@example.com`, name: "U", password: "long enough pw" }) },
  "admin.setDisabled": { input: (f) => ({ userId: f.target.id, value: true }) },
  "admin.setAdmin": { input: (f) => ({ userId: f.target.id, value: true }) },
  "admin.audit": { input: () => ({}) },
};

const procedures = Object.entries(
  (appRouter as unknown as { _def: { procedures: Record<string, { _def: { meta?: { access: Access } } }> } })._def.procedures,
).map(([path, procedure]) => ({ path, access: procedure._def.meta?.access }));

/** A project where `actorUser` holds `role` (or nothing), beside a second project it must never reach. */
async function makeFixture(role: Role | null, actorUser?: ActorUser) {
  const owner = await makeUser();
  const project = await makeProject(owner);
  const actor = actorUser ?? (await makeUser());
  const ownerCtx = await authorizeProject(createServiceContext(sessionOf(owner)), project.slug, "member.manage");
  const invite = (email: string) => createInvitation({ ctx: ownerCtx, input: { email, role: "viewer" } });
  const actorInvitation = await invite(actor.email);
  const newcomerInvitation = await invite(`${unique("newcomer")}@example.com`);
  if (role) await addMember(project.id, actor, role);
  const target = await makeUser();
  await addMember(project.id, target, "viewer");
  const actorToken = await tokenActorOf(actor);
  const tracked = await seedTracking(ownerCtx, 1);

  const otherOwner = await makeUser();
  const otherProject = await makeProject(otherOwner);
  const otherMember = await makeUser();
  await addMember(otherProject.id, otherMember, "contributor");
  const otherCtx = await authorizeProject(createServiceContext(sessionOf(otherOwner)), otherProject.slug, "member.manage");
  const otherInvitation = await createInvitation({ ctx: otherCtx, input: { email: `${unique("y")}@example.com`, role: "viewer" } });
  const otherToken = await tokenActorOf(otherOwner);
  // Two experiments there, so the foreign experiment's number does not exist here.
  const otherTracked = await seedTracking(otherCtx, 2);

  return {
    slug: project.slug,
    projectId: project.id,
    actor,
    target,
    invitationId: newcomerInvitation.invitation.id,
    newcomerSecret: newcomerInvitation.secret,
    actorInvitationSecret: actorInvitation.secret,
    actorTokenId: (actorToken.actor as Extract<Actor, { via: "token" }>).token.id,
    experimentId: tracked.experimentId,
    runId: tracked.runId,
    other: {
      slug: otherProject.slug,
      projectId: otherProject.id,
      member: otherMember,
      invitationId: otherInvitation.invitation.id,
      tokenId: (otherToken.actor as Extract<Actor, { via: "token" }>).token.id,
      experimentId: otherTracked.experimentId,
      runId: otherTracked.runId,
    },
  };
}

/** `experiments` experiments, the last holding a run with a logged metric. */
async function seedTracking(ctx: ProjectContext, experiments: number) {
  let experimentId = "0";
  for (let i = 0; i < experiments; i++) experimentId = (await createExperiment({ ctx, input: { name: unique("exp") } })).experimentId;
  const run = await createRun({ ctx, input: { experimentId } });
  await logBatch({ ctx, input: { runId: run.info.runId, metrics: [{ key: "loss", value: 0.5, timestamp: 1, step: 0 }] } });
  return { experimentId, runId: run.info.runId };
}

function invoke(actor: Actor, path: string, input: unknown) {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], callerFor(actor));
  return outcome(() => (fn as (i: unknown) => Promise<unknown>)(input));
}

describe("authorization matrix", () => {
  it("covers every procedure, and every procedure declares its access", () => {
    for (const { path, access } of procedures) {
      expect(access, `${path} has no access meta`).toBeDefined();
      expect(matrix[path], `${path} is missing from the matrix`).toBeDefined();
    }
    expect(Object.keys(matrix).sort()).toEqual(procedures.map((p) => p.path).sort());
  });

  for (const { path, access } of procedures) {
    const entry = matrix[path]!;
    if (!access) continue;

    if (access.kind === "project") {
      const permission = access.permission;
      describe(`${path} (needs ${permission})`, () => {
        it("refuses anonymous callers with UNAUTHORIZED", async () => {
          const f = await makeFixture(null);
          expect(await invoke(anonymous, path, entry.input(f))).toBe("UNAUTHORIZED");
        });
        it("hides the project from non-members with NOT_FOUND", async () => {
          const f = await makeFixture(null);
          expect(await invoke(sessionOf(f.actor), path, entry.input(f))).toBe("NOT_FOUND");
        });
        for (const role of ROLES) {
          const expected = roleAllows(role, permission) ? (entry.expect ?? "OK") : "FORBIDDEN";
          it(`${role}: ${expected}`, async () => {
            const f = await makeFixture(role);
            expect(await invoke(sessionOf(f.actor), path, entry.input(f))).toBe(expected);
          });
        }
        it("a read-only token of an owner may only read", async () => {
          const f = await makeFixture("owner");
          const { actor } = await tokenActorOf(f.actor, { readOnly: true });
          expect(await invoke(actor, path, entry.input(f))).toBe(permission === "project.read" ? "OK" : "FORBIDDEN");
        });
        it("a token restricted to another project sees NOT_FOUND", async () => {
          const f = await makeFixture("owner");
          await addMember(f.other.projectId, f.actor, "owner");
          const { actor } = await tokenActorOf(f.actor, { projectId: f.other.projectId });
          expect(await invoke(actor, path, entry.input(f))).toBe("NOT_FOUND");
        });
        if (entry.foreign) {
          it("refuses ids from another project with NOT_FOUND", async () => {
            const f = await makeFixture("owner");
            expect(await invoke(sessionOf(f.actor), path, entry.foreign!(f))).toBe("NOT_FOUND");
          });
        }
      });
      continue;
    }

    describe(`${path} (${access.kind})`, () => {
      it(`anonymous: ${access.kind === "public" ? (entry.expect ?? "OK") : "UNAUTHORIZED"}`, async () => {
        const f = await makeFixture(null);
        expect(await invoke(anonymous, path, entry.input(f))).toBe(access.kind === "public" ? (entry.expect ?? "OK") : "UNAUTHORIZED");
      });
      if (access.kind === "public") return;

      it(`signed-in person: ${access.kind === "admin" ? "FORBIDDEN" : (entry.expect ?? "OK")}`, async () => {
        const f = await makeFixture(null);
        expect(await invoke(sessionOf(f.actor), path, entry.input(f))).toBe(access.kind === "admin" ? "FORBIDDEN" : (entry.expect ?? "OK"));
      });
      it(`access token: ${access.kind === "user" ? (entry.expect ?? "OK") : "FORBIDDEN"}`, async () => {
        const f = await makeFixture(null, await makeUser({ isAdmin: true }));
        const { actor } = await tokenActorOf(f.actor);
        expect(await invoke(actor, path, entry.input(f))).toBe(access.kind === "user" ? (entry.expect ?? "OK") : "FORBIDDEN");
      });
      if (access.kind === "admin") {
        it(`administrator: ${entry.expect ?? "OK"}`, async () => {
          const f = await makeFixture(null, await makeUser({ isAdmin: true }));
          expect(await invoke(sessionOf(f.actor), path, entry.input(f))).toBe(entry.expect ?? "OK");
        });
      }
      if (entry.foreign) {
        it("refuses another person's objects with NOT_FOUND", async () => {
          const f = await makeFixture(null);
          expect(await invoke(sessionOf(f.actor), path, entry.foreign!(f))).toBe("NOT_FOUND");
        });
      }
    });
  }
});

import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { authorizeProject } from "../../server/access/authorize";
import { createServiceContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { auditEvents, invitations, projects } from "../../server/db/schema";
import { addMember, callerFor, makeProject, makeUser, outcome, sessionOf, tokenActorOf, unique } from "../support/factories";
import { authenticateToken } from "../../server/services/tokens";

describe("projects", () => {
  it("refuses a taken slug and a malformed one with field messages", async () => {
    const owner = await makeUser();
    const api = callerFor(sessionOf(owner));
    const slug = unique("dup");
    await api.project.create({ slug, name: "First" });
    await expect(api.project.create({ slug, name: "Second" })).rejects.toMatchObject({ code: "CONFLICT", cause: { fields: { slug: "This slug is taken" } } });
    await expect(api.project.create({ slug: "Not A Slug", name: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await api.project.list({})).filter((p) => p.slug === slug)).toHaveLength(1);
  });

  it("lists only the projects I belong to, with my role", async () => {
    const me = await makeUser();
    const other = await makeUser();
    const mine = await makeProject(me);
    const theirs = await makeProject(other);
    await addMember(theirs.id, me, "viewer");
    await makeProject(other);
    const listed = await callerFor(sessionOf(me)).project.list({});
    expect(listed.map((p) => [p.slug, p.role]).sort()).toEqual(
      [
        [mine.slug, "owner"],
        [theirs.slug, "viewer"],
      ].sort(),
    );
  });

  it("is read-only while archived, except for unarchiving", async () => {
    const owner = await makeUser();
    const project = await makeProject(owner);
    const api = callerFor(sessionOf(owner));
    await api.project.setArchived({ projectSlug: project.slug, archived: true });
    await expect(api.project.update({ projectSlug: project.slug, name: "x", description: "" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("archived"),
    });
    expect((await api.project.get({ projectSlug: project.slug })).archivedAt).toBeInstanceOf(Date);
    expect((await api.project.list({})).some((p) => p.slug === project.slug)).toBe(false);
    expect((await api.project.list({ includeArchived: true })).some((p) => p.slug === project.slug)).toBe(true);
    await api.project.setArchived({ projectSlug: project.slug, archived: false });
    await api.project.update({ projectSlug: project.slug, name: "Renamed", description: "" });
  });

  it("is deleted only when its slug is typed, and the audit trail outlives it", async () => {
    const owner = await makeUser();
    const project = await makeProject(owner);
    const api = callerFor(sessionOf(owner));
    await expect(api.project.delete({ projectSlug: project.slug, confirmSlug: "nope" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { fields: { confirmSlug: `Type '${project.slug}' to confirm` } },
    });
    await api.project.delete({ projectSlug: project.slug, confirmSlug: project.slug });
    expect(await outcome(() => api.project.get({ projectSlug: project.slug }))).toBe("NOT_FOUND");
    const trail = await getDb().select().from(auditEvents).where(eq(auditEvents.projectId, project.id));
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(["project.create", "project.delete"]));
  });
});

describe("members and roles", () => {
  it("never leaves a project without an owner", async () => {
    const owner = await makeUser();
    const project = await makeProject(owner);
    const api = callerFor(sessionOf(owner));
    await expect(api.member.changeRole({ projectSlug: project.slug, userId: owner.id, role: "maintainer" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(api.member.leave({ projectSlug: project.slug })).rejects.toMatchObject({ code: "CONFLICT" });
    const second = await makeUser();
    await addMember(project.id, second, "owner");
    await api.member.changeRole({ projectSlug: project.slug, userId: owner.id, role: "maintainer" });
    await expect(callerFor(sessionOf(second)).member.remove({ projectSlug: project.slug, userId: second.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("lets exactly one of two owners demoting each other at once succeed", async () => {
    const a = await makeUser();
    const b = await makeUser();
    const project = await makeProject(a);
    await addMember(project.id, b, "owner");
    const results = await Promise.all([
      outcome(() => callerFor(sessionOf(a)).member.changeRole({ projectSlug: project.slug, userId: b.id, role: "viewer" })),
      outcome(() => callerFor(sessionOf(b)).member.changeRole({ projectSlug: project.slug, userId: a.id, role: "viewer" })),
    ]);
    // The loser is refused either by the owner check (CONFLICT) or, if the winner committed
    // before it was admitted, because it is no longer an owner (FORBIDDEN).
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
    expect(results.find((r) => r !== "OK")).toMatch(/^(CONFLICT|FORBIDDEN)$/);
    const owners = await getDb().execute(sql`select count(*)::int as n from project_members where project_id = ${project.id} and role = 'owner'`);
    expect(owners[0]!.n).toBe(1);
  });

  it("revokes a removed member's tokens restricted to the project, and records the removal", async () => {
    const owner = await makeUser();
    const member = await makeUser();
    const project = await makeProject(owner);
    await addMember(project.id, member, "contributor");
    const scoped = await tokenActorOf(member, { projectId: project.id });
    const general = await tokenActorOf(member);
    await callerFor(sessionOf(owner)).member.remove({ projectSlug: project.slug, userId: member.id });
    await expect(authenticateToken(getDb(), scoped.secret)).rejects.toThrow("revoked");
    await expect(authenticateToken(getDb(), general.secret)).resolves.toBeTruthy();
    expect(await outcome(() => callerFor(general.actor).project.get({ projectSlug: project.slug }))).toBe("NOT_FOUND");
    const [removal] = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.projectId, project.id), eq(auditEvents.action, "member.remove")));
    expect(removal).toMatchObject({ actorLabel: owner.email, before: { email: member.email, role: "contributor" } });
  });
});

describe("invitations", () => {
  async function invitedProject() {
    const owner = await makeUser();
    const project = await makeProject(owner);
    const api = callerFor(sessionOf(owner));
    return { owner, project, api };
  }

  it("joins the invited person with the invited role, once", async () => {
    const { project, api } = await invitedProject();
    const email = `${unique("new")}@example.com`;
    const { secret } = await api.invitation.create({ projectSlug: project.slug, email, role: "maintainer" });
    const joined = await callerFor({ kind: "anonymous" }).invitation.signUp({ secret, name: "New", password: "long enough pw" });
    expect(joined).toMatchObject({ email, role: "maintainer", project: { slug: project.slug } });
    await expect(callerFor({ kind: "anonymous" }).invitation.signUp({ secret, name: "Again", password: "long enough pw" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This invitation has already been used",
    });
    expect((await api.member.list({ projectSlug: project.slug })).find((m) => m.email === email)?.role).toBe("maintainer");
  });

  it("is only accepted by the person it names", async () => {
    const { project, api } = await invitedProject();
    const invitee = await makeUser();
    const stranger = await makeUser();
    const { secret } = await api.invitation.create({ projectSlug: project.slug, email: invitee.email, role: "viewer" });
    await expect(callerFor(sessionOf(stranger)).invitation.accept({ secret })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await callerFor(sessionOf(invitee)).invitation.accept({ secret });
    await expect(api.invitation.create({ projectSlug: project.slug, email: invitee.email, role: "viewer" })).rejects.toMatchObject({
      code: "CONFLICT",
      cause: { fields: { email: "Already a member of this project" } },
    });
  });

  it("refuses withdrawn, replaced and expired invitations with a clear message", async () => {
    const { project, api } = await invitedProject();
    const email = `${unique("w")}@example.com`;
    const first = await api.invitation.create({ projectSlug: project.slug, email, role: "viewer" });
    const second = await api.invitation.create({ projectSlug: project.slug, email, role: "contributor" });
    const anon = callerFor({ kind: "anonymous" });
    expect((await anon.invitation.preview({ secret: first.secret })).status).toBe("revoked");
    await api.invitation.revoke({ projectSlug: project.slug, invitationId: second.invitation.id });
    await expect(anon.invitation.signUp({ secret: second.secret, name: "W", password: "long enough pw" })).rejects.toThrow("withdrawn");

    const third = await api.invitation.create({ projectSlug: project.slug, email, role: "viewer" });
    await getDb()
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, third.invitation.id));
    await expect(anon.invitation.signUp({ secret: third.secret, name: "W", password: "long enough pw" })).rejects.toThrow("expired");
    expect(await outcome(() => anon.invitation.preview({ secret: "not-a-real-invitation" }))).toBe("NOT_FOUND");
  });
});

describe("access tokens", () => {
  it("explain why they are refused: unknown, revoked, expired", async () => {
    const user = await makeUser();
    await expect(authenticateToken(getDb(), "cairn_nothing")).rejects.toThrow("Invalid access token");
    const revoked = await callerFor(sessionOf(user)).token.create({ name: "r", expiresInDays: 30 });
    await callerFor(sessionOf(user)).token.revoke({ tokenId: revoked.token.id });
    await expect(authenticateToken(getDb(), revoked.secret)).rejects.toThrow("has been revoked");
    const expiring = await callerFor(sessionOf(user)).token.create({ name: "e", expiresInDays: 1 });
    await getDb().execute(sql`update access_tokens set expires_at = now() - interval '1 day' where id = ${expiring.token.id}`);
    await expect(authenticateToken(getDb(), expiring.secret)).rejects.toThrow(/expired on \d{4}-\d{2}-\d{2}/);
  });

  it("are stored only as a hash, record their last use, and a project-scoped token needs membership", async () => {
    const user = await makeUser();
    const api = callerFor(sessionOf(user));
    const { secret, token } = await api.token.create({ name: "ci", expiresInDays: null });
    const stored = await getDb().execute(sql`select * from access_tokens where id = ${token.id}`);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect((await api.token.list())[0]!.lastUsedAt).toBeNull();
    await authenticateToken(getDb(), secret);
    expect((await api.token.list())[0]!.lastUsedAt).toBeInstanceOf(Date);
    const foreign = await makeProject(await makeUser());
    await expect(api.token.create({ name: "x", expiresInDays: 7, projectSlug: foreign.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("audit rows share the transaction of the change", () => {
  it("rolls the change back when its audit row cannot be written", async () => {
    const owner = await makeUser();
    const project = await makeProject(owner);
    const ctx = await authorizeProject(createServiceContext(sessionOf(owner)), project.slug, "project.update");
    await getDb().execute(sql`alter table audit_events add constraint no_more_audit check (action <> 'project.update') not valid`);
    try {
      await expect(callerFor(ctx.actor).project.update({ projectSlug: project.slug, name: "Changed", description: "" })).rejects.toBeTruthy();
      const [row] = await getDb().select({ name: projects.name }).from(projects).where(eq(projects.id, project.id));
      expect(row!.name).toBe(project.name);
    } finally {
      await getDb().execute(sql`alter table audit_events drop constraint no_more_audit`);
    }
  });
});

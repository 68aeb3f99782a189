import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ActorUser } from "../../server/access/actor";
import type { Role } from "../../server/access/permissions";
import { getDb } from "../../server/db/client";
import { auditEvents, emailOutbox, modelVersions, notifications, projectMembers, promotionRequests, users, watches } from "../../server/db/schema";
import { createRegisteredModel } from "../../server/services/registry/models";
import { createModelVersion } from "../../server/services/registry/versions";
import { createRun } from "../../server/services/tracking/runs";
import { addMember, callerFor, makeNotification, makeUser, outcome, projectContext, sessionOf, tokenActorOf } from "../support/factories";

// E-mail is "configured" (nothing sends it here: the job queue is not started), so outbox rows show
// who would get one. Read lazily by the server on first use, after this line.
process.env.CAIRN_SMTP_URL = "smtp://127.0.0.1:2525";

const mention = (user: ActorUser) => `@[${user.name}](user:${user.id})`;
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

/** A project with a run, its owner, and one person per role. */
async function team() {
  const { owner, project, ctx } = await projectContext("model.write");
  const people = {} as Record<Role, ActorUser>;
  people.owner = owner;
  for (const role of ["maintainer", "contributor", "viewer"] as const) {
    people[role] = await makeUser({ name: `${role[0]!.toUpperCase()}${role.slice(1)} Person` });
    await addMember(project.id, people[role], role);
  }
  const run = await createRun({ ctx, input: { experimentId: "0", runName: "bold-owl-12" } });
  const api = (user: ActorUser) => callerFor(sessionOf(user));
  const subject = { type: "run" as const, id: run.info.runId };
  return { project, ctx, people, api, runId: run.info.runId, subject, slug: project.slug };
}

async function inboxOf(userId: string) {
  return getDb().select().from(notifications).where(eq(notifications.userId, userId));
}

async function outboxTo(email: string) {
  return getDb().select().from(emailOutbox).where(eq(emailOutbox.to, email));
}

describe("comments", () => {
  it("are written by contributors and read by everyone in the project, with author names", async () => {
    const t = await team();
    const created = await t.api(t.people.contributor).comment.create({ projectSlug: t.slug, subject: t.subject, body: "Loss **plateaus** after step 40" });
    expect(created).toMatchObject({
      body: "Loss **plateaus** after step 40",
      author: { id: t.people.contributor.id, name: "Contributor Person" },
      canEdit: true,
      deleted: false,
    });

    const thread = await t.api(t.people.viewer).comment.list({ projectSlug: t.slug, subject: t.subject });
    expect(thread.canComment).toBe(false);
    expect(thread.subject).toEqual({ type: "run", id: t.runId });
    expect(thread.comments).toHaveLength(1);
    expect(thread.comments[0]).toMatchObject({ id: created.id, author: { name: "Contributor Person" }, canEdit: false });
    expect((await t.api(t.people.contributor).comment.list({ projectSlug: t.slug, subject: t.subject })).canComment).toBe(true);
  });

  it("refuses viewers and read-only tokens", async () => {
    const t = await team();
    expect(await outcome(() => t.api(t.people.viewer).comment.create({ projectSlug: t.slug, subject: t.subject, body: "hi" }))).toBe("FORBIDDEN");
    const { actor } = await tokenActorOf(t.people.owner, { readOnly: true });
    expect(await outcome(() => callerFor(actor).comment.create({ projectSlug: t.slug, subject: t.subject, body: "hi" }))).toBe("FORBIDDEN");
  });

  it("validates the body", async () => {
    const t = await team();
    await expect(t.api(t.people.owner).comment.create({ projectSlug: t.slug, subject: t.subject, body: "   " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Write something first"),
    });
    await expect(t.api(t.people.owner).comment.create({ projectSlug: t.slug, subject: t.subject, body: "x".repeat(20_001) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("are edited by their author, not by other contributors; maintainers moderate", async () => {
    const t = await team();
    const mine = await t.api(t.people.contributor).comment.create({ projectSlug: t.slug, subject: t.subject, body: "first draft" });
    const edited = await t.api(t.people.contributor).comment.edit({ projectSlug: t.slug, commentId: mine.id, body: "second draft" });
    expect(edited).toMatchObject({ body: "second draft", author: { name: "Contributor Person" } });
    expect(edited.editedAt).toBeInstanceOf(Date);

    const other = await makeUser();
    await addMember(t.project.id, other, "contributor");
    expect(await outcome(() => t.api(other).comment.edit({ projectSlug: t.slug, commentId: mine.id, body: "hijack" }))).toBe("FORBIDDEN");
    expect(await outcome(() => t.api(other).comment.delete({ projectSlug: t.slug, commentId: mine.id }))).toBe("FORBIDDEN");
    expect((await t.api(other).comment.list({ projectSlug: t.slug, subject: t.subject })).comments[0]!.canEdit).toBe(false);

    expect((await t.api(t.people.maintainer).comment.list({ projectSlug: t.slug, subject: t.subject })).comments[0]!.canEdit).toBe(true);
    await t.api(t.people.maintainer).comment.edit({ projectSlug: t.slug, commentId: mine.id, body: "moderated" });
    await t.api(t.people.maintainer).comment.delete({ projectSlug: t.slug, commentId: mine.id });

    const [deleted] = (await t.api(t.people.contributor).comment.list({ projectSlug: t.slug, subject: t.subject })).comments;
    expect(deleted).toMatchObject({ id: mine.id, deleted: true, body: "", canEdit: false });
    expect(await outcome(() => t.api(t.people.contributor).comment.edit({ projectSlug: t.slug, commentId: mine.id, body: "back" }))).toBe("CONFLICT");

    const trail = await getDb().select().from(auditEvents).where(eq(auditEvents.targetId, mine.id));
    expect(trail.map((e) => e.action).sort()).toEqual(["comment.delete", "comment.edit", "comment.edit"]);
    expect(trail.find((e) => e.action === "comment.delete")!.before).toMatchObject({ body: "moderated" });
  });

  it("nest replies one level, keep deleted parents in place, and refuse replies to deleted ones", async () => {
    const t = await team();
    const api = t.api(t.people.contributor);
    const top = await api.comment.create({ projectSlug: t.slug, subject: t.subject, body: "Why is lr so high?" });
    const reply = await api.comment.create({ projectSlug: t.slug, subject: t.subject, body: "Warm-up.", parentId: top.id });
    const nested = await t.api(t.people.owner).comment.create({ projectSlug: t.slug, subject: t.subject, body: "Agreed.", parentId: reply.id });
    expect(reply.parentId).toBe(top.id);
    expect(nested.parentId).toBe(top.id);
    const second = await api.comment.create({ projectSlug: t.slug, subject: t.subject, body: "Another topic" });

    await api.comment.delete({ projectSlug: t.slug, commentId: top.id });
    const { comments } = await api.comment.list({ projectSlug: t.slug, subject: t.subject });
    expect(comments.map((c) => [c.id, c.deleted, c.replies.map((r) => r.id)])).toEqual([
      [top.id, true, [reply.id, nested.id]],
      [second.id, false, []],
    ]);
    expect(await outcome(() => api.comment.create({ projectSlug: t.slug, subject: t.subject, body: "late", parentId: top.id }))).toBe("CONFLICT");
  });

  it("refuse a parent from another subject", async () => {
    const t = await team();
    const other = await createRun({ ctx: t.ctx, input: { experimentId: "0" } });
    const top = await t.api(t.people.owner).comment.create({ projectSlug: t.slug, subject: { type: "run", id: other.info.runId }, body: "elsewhere" });
    expect(await outcome(() => t.api(t.people.owner).comment.create({ projectSlug: t.slug, subject: t.subject, body: "x", parentId: top.id }))).toBe(
      "NOT_FOUND",
    );
  });

  it("hang on model versions and promotion requests of this project, and on nothing else", async () => {
    const t = await team();
    const elsewhere = await team();
    const version = await registeredVersion(t);
    const foreignVersion = await registeredVersion(elsewhere);
    const request = await promotionRequest(t, version);
    const foreignRequest = await promotionRequest(elsewhere, foreignVersion, 5);
    const api = t.api(t.people.owner);

    const onVersion = await api.comment.create({ projectSlug: t.slug, subject: { type: "model_version", id: version.id }, body: "Ship it" });
    const onRequest = await api.comment.create({ projectSlug: t.slug, subject: { type: "promotion_request", id: request.number }, body: "Gates pass" });
    expect(
      (await api.comment.list({ projectSlug: t.slug, subject: { type: "model_version", id: version.id.toUpperCase() } })).comments.map((c) => c.id),
    ).toEqual([onVersion.id]);
    expect(
      (await api.comment.list({ projectSlug: t.slug, subject: { type: "promotion_request", id: String(request.number) } })).comments.map((c) => c.id),
    ).toEqual([onRequest.id]);

    const refused = [
      { type: "run", id: elsewhere.runId },
      { type: "run", id: "not-a-run" },
      { type: "model_version", id: foreignVersion.id },
      { type: "model_version", id: "v1" },
      { type: "promotion_request", id: foreignRequest.number },
      { type: "promotion_request", id: 999 },
      { type: "promotion_request", id: "#1" },
    ] as const;
    for (const subject of refused) {
      expect(await outcome(() => api.comment.create({ projectSlug: t.slug, subject, body: "x" })), JSON.stringify(subject)).toBe("NOT_FOUND");
      expect(await outcome(() => api.comment.list({ projectSlug: t.slug, subject })), JSON.stringify(subject)).toBe("NOT_FOUND");
    }
    // Another project's comment cannot be reached through this one.
    const theirs = await elsewhere.api(elsewhere.people.owner).comment.create({ projectSlug: elsewhere.slug, subject: elsewhere.subject, body: "private" });
    await addMember(elsewhere.project.id, t.people.owner, "viewer");
    expect(await outcome(() => api.comment.delete({ projectSlug: t.slug, commentId: theirs.id }))).toBe("NOT_FOUND");
  });

  it("accept the 36-character form of a run id and store the canonical one", async () => {
    const t = await team();
    const dashed = `${t.runId.slice(0, 8)}-${t.runId.slice(8, 12)}-${t.runId.slice(12, 16)}-${t.runId.slice(16, 20)}-${t.runId.slice(20)}`;
    await t.api(t.people.owner).comment.create({ projectSlug: t.slug, subject: { type: "run", id: dashed.toUpperCase() }, body: "ok" });
    expect((await t.api(t.people.owner).comment.list({ projectSlug: t.slug, subject: t.subject })).comments).toHaveLength(1);
  });
});

describe("mentions", () => {
  it("notify mentioned members with a link to the subject, and e-mail those who want it", async () => {
    const t = await team();
    const comment = `Can you check this, ${mention(t.people.viewer)}?`;
    await t.api(t.people.contributor).comment.create({ projectSlug: t.slug, subject: t.subject, body: comment });

    const [note, ...more] = await inboxOf(t.people.viewer.id);
    expect(more).toHaveLength(0);
    expect(note).toMatchObject({
      kind: "mention",
      projectId: t.project.id,
      title: "Contributor Person mentioned you on run bold-owl-12",
      body: "Can you check this, @Viewer Person?",
      url: `/p/${t.slug}/runs/${t.runId}`,
      actorLabel: "Contributor Person",
      readAt: null,
      emailQueued: true,
    });
    const [mail] = await outboxTo(t.people.viewer.email);
    expect(mail).toMatchObject({ subject: `[Cairn ${t.slug}] Contributor Person mentioned you on run bold-owl-12` });
    expect(mail!.text).toContain(`/p/${t.slug}/runs/${t.runId}`);
    // The author hears nothing of their own comment, and nobody else was concerned.
    expect(await inboxOf(t.people.contributor.id)).toHaveLength(0);
    expect(await inboxOf(t.people.owner.id)).toHaveLength(0);
  });

  it("of a non-member create nothing for them: no notification, no e-mail", async () => {
    const t = await team();
    const outsider = await makeUser({ name: "Outsider" });
    await t
      .api(t.people.owner)
      .comment.create({ projectSlug: t.slug, subject: t.subject, body: `Secret plans, ${mention(outsider)} and ${mention(t.people.maintainer)}` });
    expect(await inboxOf(outsider.id)).toHaveLength(0);
    expect(await outboxTo(outsider.email)).toHaveLength(0);
    expect(await inboxOf(t.people.maintainer.id)).toHaveLength(1);
    // The thread does not name them either.
    const thread = await t.api(t.people.owner).comment.list({ projectSlug: t.slug, subject: t.subject });
    expect(thread.people).toEqual({ [t.people.maintainer.id]: "Maintainer Person" });
  });

  it("respect the e-mail preference (the inbox keeps the notification)", async () => {
    const t = await team();
    await t.api(t.people.viewer).notification.setPreferences({ emailNotifications: false });
    expect(await t.api(t.people.viewer).notification.preferences()).toEqual({ emailNotifications: false, emailAvailable: true });
    await t.api(t.people.owner).comment.create({ projectSlug: t.slug, subject: t.subject, body: mention(t.people.viewer) });
    expect(await inboxOf(t.people.viewer.id)).toMatchObject([{ kind: "mention", emailQueued: false }]);
    expect(await outboxTo(t.people.viewer.email)).toHaveLength(0);
  });

  it("inside code are not mentions; disabled people are not notified", async () => {
    const t = await team();
    await getDb().update(users).set({ disabledAt: new Date() }).where(eq(users.id, t.people.maintainer.id));
    await t
      .api(t.people.owner)
      .comment.create({ projectSlug: t.slug, subject: t.subject, body: `\`${mention(t.people.viewer)}\` and ${mention(t.people.maintainer)}` });
    expect(await inboxOf(t.people.viewer.id)).toHaveLength(0);
    expect(await inboxOf(t.people.maintainer.id)).toHaveLength(0);
  });

  it("added by an edit notify only the newly mentioned", async () => {
    const t = await team();
    const api = t.api(t.people.owner);
    const c = await api.comment.create({ projectSlug: t.slug, subject: t.subject, body: `cc ${mention(t.people.viewer)}` });
    await api.comment.edit({ projectSlug: t.slug, commentId: c.id, body: `cc ${mention(t.people.viewer)} ${mention(t.people.contributor)}` });
    expect(await inboxOf(t.people.viewer.id)).toHaveLength(1);
    expect(await inboxOf(t.people.contributor.id)).toMatchObject([{ kind: "mention" }]);
  });
});

describe("watching", () => {
  it("a project brings its comments to the watchers (once, even when also mentioned)", async () => {
    const t = await team();
    expect(await t.api(t.people.viewer).watch.status({ projectSlug: t.slug, subject: { type: "project" } })).toMatchObject({ watching: false });
    await t.api(t.people.viewer).watch.set({ projectSlug: t.slug, subject: { type: "project" }, watching: true });
    await t.api(t.people.viewer).watch.set({ projectSlug: t.slug, subject: { type: "project" }, watching: true });
    await t.api(t.people.maintainer).watch.set({ projectSlug: t.slug, subject: { type: "project" }, watching: true });
    expect(await t.api(t.people.viewer).watch.status({ projectSlug: t.slug, subject: { type: "project" } })).toMatchObject({ watching: true });

    await t.api(t.people.contributor).comment.create({ projectSlug: t.slug, subject: t.subject, body: `Done, ${mention(t.people.maintainer)}` });
    expect(await inboxOf(t.people.viewer.id)).toMatchObject([
      { kind: "comment", title: "Contributor Person commented on run bold-owl-12", url: `/p/${t.slug}/runs/${t.runId}` },
    ]);
    expect(await inboxOf(t.people.maintainer.id)).toMatchObject([{ kind: "mention" }]);

    await t.api(t.people.viewer).watch.set({ projectSlug: t.slug, subject: { type: "project" }, watching: false });
    await t.api(t.people.contributor).comment.create({ projectSlug: t.slug, subject: t.subject, body: "Again" });
    expect(await inboxOf(t.people.viewer.id)).toHaveLength(1);
  });

  it("a model brings comments on its versions; watchers who left the project hear nothing", async () => {
    const t = await team();
    const version = await registeredVersion(t);
    await t.api(t.people.viewer).watch.set({ projectSlug: t.slug, subject: { type: "registered_model", name: "fraud-detector" }, watching: true });
    await t.api(t.people.maintainer).watch.set({ projectSlug: t.slug, subject: { type: "registered_model", name: "fraud-detector" }, watching: true });
    await getDb()
      .delete(projectMembers)
      .where(and(eq(projectMembers.projectId, t.project.id), eq(projectMembers.userId, t.people.maintainer.id)));

    await t.api(t.people.owner).comment.create({ projectSlug: t.slug, subject: { type: "model_version", id: version.id }, body: "Looks calibrated" });
    expect(await inboxOf(t.people.viewer.id)).toMatchObject([
      { kind: "comment", title: expect.stringContaining("commented on fraud-detector v1"), url: `/p/${t.slug}/models/fraud-detector/versions/1` },
    ]);
    expect(await inboxOf(t.people.maintainer.id)).toHaveLength(0);
  });

  it("refuses models of another project", async () => {
    const t = await team();
    const elsewhere = await team();
    await registeredVersion(elsewhere);
    await addMember(elsewhere.project.id, t.people.owner, "viewer");
    expect(
      await outcome(() =>
        t.api(t.people.owner).watch.set({ projectSlug: t.slug, subject: { type: "registered_model", name: "fraud-detector" }, watching: true }),
      ),
    ).toBe("NOT_FOUND");
    expect(await getDb().select().from(watches).where(eq(watches.userId, t.people.owner.id))).toHaveLength(0);
  });
});

describe("the inbox", () => {
  it("shows each person only their own notifications, newest first, paged", async () => {
    const t = await team();
    const me = t.people.viewer;
    // Two of the same instant would be ordered by id; distinct times make the expected order plain.
    for (let i = 0; i < 5; i++) await makeNotification(me.id, t.project.id, `n${i}`, minutesAgo(10 - i));
    await makeNotification(t.people.contributor.id, t.project.id, "not yours");

    const api = t.api(me);
    const first = await api.notification.list({ limit: 3 });
    expect(first.items.map((n) => n.title)).toEqual(["n4", "n3", "n2"]);
    expect(first.items[0]!.project).toEqual({ slug: t.slug, name: t.project.name });
    const second = await api.notification.list({ limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((n) => n.title)).toEqual(["n1", "n0"]);
    expect(second.nextCursor).toBeNull();

    // Someone else's cursor or notification leads nowhere.
    const theirs = (await t.api(t.people.contributor).notification.list({})).items;
    expect(theirs.map((n) => n.title)).toEqual(["not yours"]);
    expect((await api.notification.list({ cursor: theirs[0]!.id })).items).toEqual([]);
    expect(await outcome(() => api.notification.markRead({ notificationId: theirs[0]!.id }))).toBe("NOT_FOUND");
  });

  it("pages through notifications of the same instant without skipping or repeating any", async () => {
    const t = await team();
    const at = new Date();
    for (let i = 0; i < 5; i++) await makeNotification(t.people.viewer.id, t.project.id, `same${i}`, at);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.api(t.people.viewer).notification.list({ limit: 2, cursor });
      seen.push(...page.items.map((n) => n.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual(["same0", "same1", "same2", "same3", "same4"]);
  });

  it("counts unread, marks one or all read", async () => {
    const t = await team();
    const me = t.people.viewer;
    const api = t.api(me);
    expect(await api.notification.unreadCount()).toEqual({ count: 0, more: false });
    const a = await makeNotification(me.id, t.project.id, "a", minutesAgo(3));
    await makeNotification(me.id, t.project.id, "b", minutesAgo(2));
    await makeNotification(me.id, t.project.id, "c", minutesAgo(1));
    await makeNotification(t.people.owner.id, t.project.id, "owner's");
    expect(await api.notification.unreadCount()).toEqual({ count: 3, more: false });

    const read = await api.notification.markRead({ notificationId: a });
    expect(read.readAt).toBeInstanceOf(Date);
    expect((await api.notification.markRead({ notificationId: a })).readAt).toEqual(read.readAt);
    expect(await api.notification.unreadCount()).toEqual({ count: 2, more: false });
    expect((await api.notification.list({ unreadOnly: true })).items.map((n) => n.title)).toEqual(["c", "b"]);

    expect(await api.notification.markAllRead()).toEqual({ marked: 2 });
    expect(await api.notification.unreadCount()).toEqual({ count: 0, more: false });
    expect((await api.notification.list({})).items.every((n) => n.readAt)).toBe(true);
    expect(await t.api(t.people.owner).notification.unreadCount()).toEqual({ count: 1, more: false });
  });

  it("caps the unread count for the badge", async () => {
    const t = await team();
    await getDb()
      .insert(notifications)
      .values(Array.from({ length: 105 }, (_, i) => ({ userId: t.people.viewer.id, projectId: t.project.id, kind: "mention", title: `n${i}`, url: "/" })));
    expect(await t.api(t.people.viewer).notification.unreadCount()).toEqual({ count: 99, more: true });
  });

  it("hides a project's notifications once I leave it, and a project token sees only its project", async () => {
    const t = await team();
    const elsewhere = await team();
    const me = t.people.viewer;
    await addMember(elsewhere.project.id, me, "viewer");
    await makeNotification(me.id, t.project.id, "here");
    await makeNotification(me.id, elsewhere.project.id, "there");
    expect((await t.api(me).notification.list({})).items.map((n) => n.title).sort()).toEqual(["here", "there"]);

    const { actor } = await tokenActorOf(me, { projectId: t.project.id });
    expect((await callerFor(actor).notification.list({})).items.map((n) => n.title)).toEqual(["here"]);
    expect(await callerFor(actor).notification.unreadCount()).toEqual({ count: 1, more: false });
    expect(await outcome(() => callerFor(actor).notification.markAllRead())).toBe("FORBIDDEN");

    await getDb()
      .delete(projectMembers)
      .where(and(eq(projectMembers.projectId, elsewhere.project.id), eq(projectMembers.userId, me.id)));
    expect((await t.api(me).notification.list({})).items.map((n) => n.title)).toEqual(["here"]);
    expect(await t.api(me).notification.unreadCount()).toEqual({ count: 1, more: false });
  });

  it("keeps the e-mail preference per person, audited, and only from a browser session", async () => {
    const t = await team();
    const api = t.api(t.people.contributor);
    expect(await api.notification.preferences()).toEqual({ emailNotifications: true, emailAvailable: true });
    expect(await api.notification.setPreferences({ emailNotifications: false })).toMatchObject({ emailNotifications: false });
    expect((await t.api(t.people.viewer).notification.preferences()).emailNotifications).toBe(true);
    const trail = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, t.people.contributor.id), eq(auditEvents.action, "user.update")));
    expect(trail).toMatchObject([{ before: { emailNotifications: true }, after: { emailNotifications: false } }]);
    const { actor } = await tokenActorOf(t.people.contributor);
    expect(await outcome(() => callerFor(actor).notification.setPreferences({ emailNotifications: true }))).toBe("FORBIDDEN");
  });
});

/** Version 1 of "fraud-detector" in the team's project. */
async function registeredVersion(t: Awaited<ReturnType<typeof team>>) {
  await createRegisteredModel({ ctx: t.ctx, input: { name: "fraud-detector" } });
  await createModelVersion({ ctx: t.ctx, input: { name: "fraud-detector", source: "s3://bucket/fraud/1" } });
  const [row] = await getDb()
    .select({ id: modelVersions.id, modelId: modelVersions.modelId })
    .from(modelVersions)
    .where(and(eq(modelVersions.projectId, t.project.id), eq(modelVersions.version, 1)));
  return row!;
}

/** A promotion request row (test data: the promotion engine has its own tests). */
async function promotionRequest(t: Awaited<ReturnType<typeof team>>, version: { id: string; modelId: string }, number = 1) {
  const [row] = await getDb()
    .insert(promotionRequests)
    .values({
      projectId: t.project.id,
      number,
      modelId: version.modelId,
      versionId: version.id,
      targetKind: "alias",
      targetName: "champion",
      evidence: "{}",
      requestedVia: "ui",
      requestedBy: t.people.owner.id,
    })
    .returning({ number: promotionRequests.number });
  return row!;
}

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { anonymous } from "../../server/access/actor";
import { createServiceContext } from "../../server/context";
import { getDb } from "../../server/db/client";
import { auditEvents, invitations, passwordResets } from "../../server/db/schema";
import { passwordResetAvailable, requestPasswordReset } from "../../server/services/password-resets";
import { authenticateToken } from "../../server/services/tokens";
import {
  authenticatePassword,
  loadSessionUser,
  resolveOidcSignIn,
  sessionVersionOf,
  setUserAdmin,
  setUserDisabled,
  signOutEverywhere,
} from "../../server/services/users";
import { callerFor, makeProject, makeUser, PASSWORD, sessionOf, tokenActorOf, unique } from "../support/factories";

const db = () => getDb();

describe("password sign-in", () => {
  it("accepts the right password and gives one message for every mismatch", async () => {
    const user = await makeUser();
    await expect(authenticatePassword(db(), { email: user.email.toUpperCase(), password: PASSWORD }, null)).resolves.toMatchObject({ id: user.id });
    await expect(authenticatePassword(db(), { email: user.email, password: "wrong one" }, null)).rejects.toThrow("Wrong e-mail or password");
    await expect(authenticatePassword(db(), { email: "nobody@example.com", password: "wrong one" }, null)).rejects.toThrow("Wrong e-mail or password");
    await expect(authenticatePassword(db(), { email: "not an email", password: "x" }, null)).rejects.toMatchObject({
      kind: "invalid",
      fields: { email: expect.any(String) },
    });
  });

  it("throttles an e-mail after five failures, even for the right password", async () => {
    const user = await makeUser();
    for (let i = 0; i < 5; i++) {
      await expect(authenticatePassword(db(), { email: user.email, password: `wrong ${i}` }, "10.0.0.1")).rejects.toThrow("Wrong e-mail");
    }
    await expect(authenticatePassword(db(), { email: user.email, password: PASSWORD }, "10.0.0.2")).rejects.toMatchObject({
      kind: "rate_limited",
      retryAfterSeconds: expect.any(Number),
    });
  });

  it("forgets earlier failures after a successful sign-in", async () => {
    const user = await makeUser();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) {
        await expect(authenticatePassword(db(), { email: user.email, password: "wrong" }, null)).rejects.toThrow("Wrong e-mail");
      }
      await expect(authenticatePassword(db(), { email: user.email, password: PASSWORD }, null)).resolves.toMatchObject({ id: user.id });
    }
  });

  it("throttles a client address that tries many e-mails", async () => {
    for (let i = 0; i < 50; i++) {
      await expect(authenticatePassword(db(), { email: `${unique("x")}@example.com`, password: "wrong" }, "10.9.9.9")).rejects.toThrow("Wrong e-mail");
    }
    const user = await makeUser();
    await expect(authenticatePassword(db(), { email: user.email, password: PASSWORD }, "10.9.9.9")).rejects.toMatchObject({ kind: "rate_limited" });
  });
});

describe("sessions and disabled users", () => {
  it("signing out everywhere invalidates every existing session of the user", async () => {
    const user = await makeUser();
    const version = (await sessionVersionOf(db(), user.id))!;
    expect(await loadSessionUser(db(), user.id, version)).toMatchObject({ id: user.id });
    await signOutEverywhere({ ctx: createServiceContext(sessionOf(user)) });
    expect(await loadSessionUser(db(), user.id, version)).toBeNull();
    expect(await loadSessionUser(db(), user.id, (await sessionVersionOf(db(), user.id))!)).toMatchObject({ id: user.id });
  });

  it("disabling a user stops their sessions, tokens and password at once; enabling restores tokens", async () => {
    const admin = await makeUser({ isAdmin: true });
    const user = await makeUser();
    const version = (await sessionVersionOf(db(), user.id))!;
    const { secret } = await tokenActorOf(user);
    await setUserDisabled({ ctx: createServiceContext(sessionOf(admin)), input: { userId: user.id, value: true } });
    expect(await loadSessionUser(db(), user.id, version)).toBeNull();
    await expect(authenticateToken(db(), secret)).rejects.toThrow("disabled");
    await expect(authenticatePassword(db(), { email: user.email, password: PASSWORD }, null)).rejects.toThrow("This account is disabled");
    await setUserDisabled({ ctx: createServiceContext(sessionOf(admin)), input: { userId: user.id, value: false } });
    await expect(authenticateToken(db(), secret)).resolves.toMatchObject({ actor: { user: { id: user.id } } });
    const audit = await db().select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["user.disable", "user.enable"]));
  });

  it("an administrator cannot disable themselves, and the last administrator stays one", async () => {
    const admin = await makeUser({ isAdmin: true });
    const ctx = createServiceContext(sessionOf(admin));
    await expect(setUserDisabled({ ctx, input: { userId: admin.id, value: true } })).rejects.toThrow("cannot disable your own");
    const others = await callerFor(sessionOf(admin)).admin.users({ limit: 200 });
    for (const other of others.users.filter((u) => u.isAdmin && u.id !== admin.id)) {
      await setUserAdmin({ ctx, input: { userId: other.id, value: false } });
    }
    await expect(setUserAdmin({ ctx, input: { userId: admin.id, value: false } })).rejects.toThrow("at least one active administrator");
  });
});

describe("password reset by e-mail without SMTP", () => {
  it("is not offered, and a request is refused without creating a link", async () => {
    const user = await makeUser();
    expect(passwordResetAvailable()).toBe(false);
    await expect(requestPasswordReset({ ctx: createServiceContext(anonymous), input: { email: user.email }, address: null })).rejects.toMatchObject({
      kind: "forbidden",
      message: expect.stringContaining("ask an administrator"),
    });
    expect(await db().select().from(passwordResets).where(eq(passwordResets.userId, user.id))).toHaveLength(0);
  });
});

describe("OIDC sign-in", () => {
  const issuer = "https://idp.example";
  const identity = (email: string, extra: Partial<Parameters<typeof resolveOidcSignIn>[1]> = {}) => ({
    issuer,
    subject: unique("sub"),
    email,
    emailVerified: true,
    name: "Ada Lovelace",
    ...extra,
  });

  it("creates a person from an allow-listed, verified domain and recognises them next time", async () => {
    const id = identity(`${unique("ada")}@corp.example`);
    const first = await resolveOidcSignIn(db(), id, ["corp.example"]);
    expect(first).toMatchObject({ user: { email: id.email, name: "Ada Lovelace" } });
    const second = await resolveOidcSignIn(db(), { ...id, email: "changed@elsewhere.example" }, []);
    expect(second).toEqual(first);
  });

  it("refuses unverified e-mails, missing e-mails and uninvited domains", async () => {
    expect(await resolveOidcSignIn(db(), identity(`${unique("u")}@corp.example`, { emailVerified: false }), ["corp.example"])).toEqual({
      refused: "unverified",
    });
    expect(await resolveOidcSignIn(db(), identity("", { email: null }), ["corp.example"])).toEqual({ refused: "no-email" });
    expect(await resolveOidcSignIn(db(), identity(`${unique("u")}@other.example`), ["corp.example"])).toEqual({ refused: "not-invited" });
  });

  it("admits someone with an open invitation, and links an existing account by verified e-mail", async () => {
    const owner = await makeUser();
    const project = await makeProject(owner);
    const invited = `${unique("inv")}@other.example`;
    await db()
      .insert(invitations)
      .values({ projectId: project.id, email: invited, role: "viewer", secretHash: unique("h"), expiresAt: new Date(Date.now() + 3600_000) });
    expect(await resolveOidcSignIn(db(), identity(invited), [])).toMatchObject({ user: { email: invited } });

    const existing = await makeUser();
    expect(await resolveOidcSignIn(db(), identity(existing.email), [])).toMatchObject({ user: { id: existing.id } });
  });

  it("refuses a disabled account", async () => {
    const admin = await makeUser({ isAdmin: true });
    const user = await makeUser();
    await setUserDisabled({ ctx: createServiceContext(sessionOf(admin)), input: { userId: user.id, value: true } });
    expect(await resolveOidcSignIn(db(), identity(user.email), [])).toEqual({ refused: "disabled" });
  });
});

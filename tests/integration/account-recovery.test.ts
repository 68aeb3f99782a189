import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anonymous, type ActorUser } from "../../server/access/actor";
import { smtpCapture } from "../support/smtp-capture";

/**
 * Account recovery: an administrator (tRPC or the operator CLI) sets a new password, or a person
 * resets their own through a single-use link e-mailed by the job queue to a real SMTP server on
 * loopback. Configuration is set before the server modules load, as in email-delivery.test.ts.
 */

const smtp = smtpCapture();
const { received } = smtp;

let stopJobs: (() => Promise<void>) | undefined;
let client: typeof import("../../server/db/client");
let schema: typeof import("../../server/db/schema");
let f: typeof import("../support/factories");
let resets: typeof import("../../server/services/password-resets");
let users: typeof import("../../server/services/users");
let context: typeof import("../../server/context");
let cli: typeof import("../../server/cli/main");

beforeAll(async () => {
  process.env.CAIRN_SMTP_URL = await smtp.listen();
  process.env.CAIRN_PUBLIC_URL = "https://cairn.example.test";
  client = await import("../../server/db/client");
  schema = await import("../../server/db/schema");
  f = await import("../support/factories");
  resets = await import("../../server/services/password-resets");
  users = await import("../../server/services/users");
  context = await import("../../server/context");
  cli = await import("../../server/cli/main");
  const { startJobs } = await import("../../server/jobs/index");
  stopJobs = await startJobs(process.env.DATABASE_URL!);
});

afterAll(async () => {
  await stopJobs?.();
  await smtp.close();
});

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("Timed out waiting");
    await new Promise((r) => setTimeout(r, 200));
  }
}

const NEW_PASSWORD = "a brand new passphrase";
const db = () => client.getDb();
// The origin a forged Host header would give: links must not use it.
const anonymousCtx = () => context.createServiceContext(anonymous, undefined, "https://attacker.example");
const request = (email: string, address: string | null = null) => resets.requestPasswordReset({ ctx: anonymousCtx(), input: { email }, address });
const anonymousCaller = () => f.callerFor(anonymous);
const signIn = (email: string, password: string) => users.authenticatePassword(db(), { email, password }, null);

async function outboxTo(email: string) {
  return db().select().from(schema.emailOutbox).where(eq(schema.emailOutbox.to, email));
}

/** The token of the last reset link queued for `email`, read from the e-mail's text. */
async function lastLinkTo(email: string): Promise<string> {
  const rows = await outboxTo(email);
  const text = rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1)!.text;
  return new URL(/https:\/\/\S+/.exec(text)![0]).searchParams.get("token")!;
}

async function auditOf(userId: string, action: string) {
  return db()
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.targetId, userId), eq(schema.auditEvents.action, action)));
}

/** A signed-in session of `user`: the version its cookie carries. */
async function sessionVersion(user: ActorUser) {
  return (await users.sessionVersionOf(db(), user.id))!;
}

describe("an administrator sets a new password", () => {
  it("through tRPC: the person signs in with it, their sessions end, and it is audited", async () => {
    const admin = await f.makeUser({ isAdmin: true });
    const person = await f.makeUser();
    const version = await sessionVersion(person);
    const adminVersion = await sessionVersion(admin);

    await f.callerFor(f.sessionOf(admin)).admin.setPassword({ userId: person.id, password: NEW_PASSWORD });

    await expect(signIn(person.email, NEW_PASSWORD)).resolves.toMatchObject({ id: person.id });
    await expect(signIn(person.email, f.PASSWORD)).rejects.toThrow("Wrong e-mail or password");
    expect(await users.loadSessionUser(db(), person.id, version)).toBeNull();
    expect(await users.loadSessionUser(db(), admin.id, adminVersion)).toMatchObject({ id: admin.id });
    const [row] = await auditOf(person.id, "user.set_password");
    expect(row).toMatchObject({ actorUserId: admin.id, actorLabel: admin.email, after: { email: person.email } });
  });

  it("is refused to non-administrators and to access tokens, even an administrator's", async () => {
    const admin = await f.makeUser({ isAdmin: true });
    const person = await f.makeUser();
    const input = { userId: person.id, password: NEW_PASSWORD };
    expect(await f.outcome(() => f.callerFor(f.sessionOf(person)).admin.setPassword({ ...input, userId: admin.id }))).toBe("FORBIDDEN");
    const { actor } = await f.tokenActorOf(admin);
    expect(await f.outcome(() => f.callerFor(actor).admin.setPassword(input))).toBe("FORBIDDEN");
    expect(await f.outcome(() => anonymousCaller().admin.setPassword(input))).toBe("UNAUTHORIZED");
    await expect(signIn(person.email, f.PASSWORD)).resolves.toMatchObject({ id: person.id });
    expect(await auditOf(person.id, "user.set_password")).toHaveLength(0);
  });

  it("checks the password rules, and sends administrators to Account for their own", async () => {
    const admin = await f.makeUser({ isAdmin: true });
    const person = await f.makeUser();
    const caller = f.callerFor(f.sessionOf(admin));
    await expect(caller.admin.setPassword({ userId: person.id, password: "short" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Password must be at least 10 characters"),
    });
    await expect(caller.admin.setPassword({ userId: admin.id, password: NEW_PASSWORD })).rejects.toThrow("under Account");
    expect(await f.outcome(() => caller.admin.setPassword({ userId: "00000000-0000-4000-8000-000000000000", password: NEW_PASSWORD }))).toBe("NOT_FOUND");
  });

  it("through the operator CLI with --password; usage mistakes exit 2, refusals 1", async () => {
    const person = await f.makeUser();
    const version = await sessionVersion(person);
    const out: string[] = [];
    const err: string[] = [];
    const run = (...args: string[]) =>
      cli.main(
        ["node", "cairn", "users", "set-password", ...args],
        (l) => out.push(l),
        (l) => err.push(l),
      );

    expect(await run("--email", person.email.toUpperCase(), "--password", NEW_PASSWORD)).toBe(0);
    expect(out.at(-1)).toBe(`set a new password for ${person.email}; their sessions have ended`);
    await expect(signIn(person.email, NEW_PASSWORD)).resolves.toMatchObject({ id: person.id });
    expect(await users.loadSessionUser(db(), person.id, version)).toBeNull();
    expect((await auditOf(person.id, "user.set_password"))[0]).toMatchObject({ actorUserId: null, actorLabel: "cli" });

    expect(await run("--email", person.email)).toBe(2);
    expect(await run("--email", person.email, "--password", NEW_PASSWORD, "--password-stdin")).toBe(2);
    expect(await run("--email", "nobody@example.com", "--password", NEW_PASSWORD)).toBe(1);
    expect(err.at(-1)).toBe("error: No user with e-mail nobody@example.com");
    expect(await run("--email", person.email, "--password", "short")).toBe(1);
    expect(err.at(-1)).toContain("at least 10 characters");
  });

  it("through bin/cairn.mjs with --password-stdin, keeping the password out of the arguments", async () => {
    const person = await f.makeUser();
    const child = spawn(process.execPath, ["bin/cairn.mjs", "users", "set-password", "--email", person.email, "--password-stdin"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.stdin.end(`${NEW_PASSWORD}\n`);
    const [code] = (await once(child, "close")) as [number];
    expect(code, output).toBe(0);
    expect(output).toContain(`set a new password for ${person.email}`);
    await expect(signIn(person.email, NEW_PASSWORD)).resolves.toMatchObject({ id: person.id });
  }, 60_000);
});

describe("a person resets their own password by e-mail", () => {
  it("gets the same answer for an existing and an unknown e-mail; only the account holder gets mail", async () => {
    const person = await f.makeUser();
    const unknown = `${f.unique("nobody")}@example.com`;
    const known = await request(person.email);
    const missing = await request(unknown);
    expect(missing).toEqual(known);
    expect(await outboxTo(unknown)).toHaveLength(0);
    expect(await outboxTo(person.email)).toHaveLength(1);
    expect(await db().select().from(schema.passwordResets).where(eq(schema.passwordResets.userId, person.id))).toHaveLength(1);
  });

  it("follows the e-mailed link (on CAIRN_PUBLIC_URL, whatever the request said) once: new password, sessions ended, audited", async () => {
    const person = await f.makeUser();
    const version = await sessionVersion(person);
    await request(person.email.toUpperCase(), "10.1.2.3");

    const mail = await until(() => received.find((m) => m.to.includes(person.email)));
    expect(mail.subject).toBe("Reset your Cairn password");
    const link = new URL(/https:\/\/\S+/.exec(mail.text)![0]);
    expect(link.origin + link.pathname).toBe("https://cairn.example.test/reset-password");
    const token = link.searchParams.get("token")!;
    const [row] = await db().select().from(schema.passwordResets).where(eq(schema.passwordResets.userId, person.id));
    expect(row!.tokenHash).not.toContain(token);
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.requestedFrom).toBe("10.1.2.3");
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(60 * 60_000);

    expect(await anonymousCaller().passwordReset.status({ token })).toEqual({ status: "open", email: person.email });
    await expect(anonymousCaller().passwordReset.complete({ token, password: NEW_PASSWORD })).resolves.toEqual({ email: person.email });

    await expect(signIn(person.email, NEW_PASSWORD)).resolves.toMatchObject({ id: person.id });
    expect(await users.loadSessionUser(db(), person.id, version)).toBeNull();
    expect((await auditOf(person.id, "user.reset_password"))[0]).toMatchObject({
      actorUserId: person.id,
      actorLabel: person.email,
      after: { email: person.email, requestedFrom: "10.1.2.3" },
    });

    expect(await anonymousCaller().passwordReset.status({ token })).toEqual({ status: "used" });
    await expect(anonymousCaller().passwordReset.complete({ token, password: "yet another passphrase" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already been used"),
    });
    await expect(signIn(person.email, NEW_PASSWORD)).resolves.toMatchObject({ id: person.id });
  }, 60_000);

  it("works once even when the form is submitted twice at the same moment", async () => {
    const person = await f.makeUser();
    await request(person.email);
    const token = await lastLinkTo(person.email);
    const outcomes = await Promise.all(
      ["first passphrase here", "second passphrase here"].map((password) => f.outcome(() => anonymousCaller().passwordReset.complete({ token, password }))),
    );
    expect(outcomes.sort()).toEqual(["CONFLICT", "OK"]);
    expect(await auditOf(person.id, "user.reset_password")).toHaveLength(1);
  });

  it("refuses a link after its hour is up", async () => {
    const person = await f.makeUser();
    await request(person.email);
    const token = await lastLinkTo(person.email);
    await db()
      .update(schema.passwordResets)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(schema.passwordResets.userId, person.id));
    expect(await anonymousCaller().passwordReset.status({ token })).toEqual({ status: "expired" });
    await expect(anonymousCaller().passwordReset.complete({ token, password: NEW_PASSWORD })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("expired"),
    });
    await expect(signIn(person.email, f.PASSWORD)).resolves.toMatchObject({ id: person.id });
  });

  it("replaces an earlier link when asked again, and refuses tokens that were never issued", async () => {
    const person = await f.makeUser();
    await request(person.email);
    const first = await lastLinkTo(person.email);
    await new Promise((r) => setTimeout(r, 5));
    await request(person.email);
    const second = await lastLinkTo(person.email);
    expect(second).not.toBe(first);
    expect(await anonymousCaller().passwordReset.status({ token: first })).toEqual({ status: "expired" });
    await expect(anonymousCaller().passwordReset.complete({ token: first, password: NEW_PASSWORD })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(anonymousCaller().passwordReset.complete({ token: second, password: NEW_PASSWORD })).resolves.toEqual({ email: person.email });

    expect(await anonymousCaller().passwordReset.status({ token: "not-a-token" })).toEqual({ status: "invalid" });
    expect(await anonymousCaller().passwordReset.status({ token: "x".repeat(5000) })).toEqual({ status: "invalid" });
    expect(await f.outcome(() => anonymousCaller().passwordReset.complete({ token: "not-a-token", password: NEW_PASSWORD }))).toBe("NOT_FOUND");
  });

  it("checks the new password with the sign-up rules", async () => {
    const person = await f.makeUser();
    await request(person.email);
    const token = await lastLinkTo(person.email);
    await expect(anonymousCaller().passwordReset.complete({ token, password: "aaaaaaaaaaaa" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Password is too simple"),
    });
    expect(await anonymousCaller().passwordReset.status({ token })).toMatchObject({ status: "open" });
  });

  it("reaches people who turned notification e-mails off", async () => {
    const person = await f.makeUser();
    await f.callerFor(f.sessionOf(person)).notification.setPreferences({ emailNotifications: false });
    await request(person.email);
    expect(await outboxTo(person.email)).toHaveLength(1);
  });

  it("is not possible for a disabled account", async () => {
    const admin = await f.makeUser({ isAdmin: true });
    const person = await f.makeUser();
    await request(person.email);
    const token = await lastLinkTo(person.email);
    await users.setUserDisabled({ ctx: context.createServiceContext(f.sessionOf(admin)), input: { userId: person.id, value: true } });
    await expect(anonymousCaller().passwordReset.complete({ token, password: NEW_PASSWORD })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await request(person.email);
    expect(await outboxTo(person.email)).toHaveLength(1);
  });

  it("throttles requests per e-mail and per client address, existing or not, without blocking sign-in", async () => {
    const person = await f.makeUser();
    const unknown = `${f.unique("nobody")}@example.com`;
    for (const email of [person.email, unknown]) {
      for (let i = 0; i < 3; i++) await request(email);
      await expect(request(email)).rejects.toMatchObject({ kind: "rate_limited", message: expect.stringContaining("Too many password reset requests") });
    }
    expect(await outboxTo(person.email)).toHaveLength(3);
    await expect(signIn(person.email, f.PASSWORD)).resolves.toMatchObject({ id: person.id });

    const address = "10.7.7.7";
    for (let i = 0; i < 20; i++) await request(`${f.unique("spray")}@example.com`, address);
    await expect(request(`${f.unique("spray")}@example.com`, address)).rejects.toMatchObject({ kind: "rate_limited" });
  });

  it("lifts the sign-in block of the e-mail once the new password is set", async () => {
    const person = await f.makeUser();
    for (let i = 0; i < 5; i++) await expect(signIn(person.email, "wrong guess")).rejects.toThrow();
    await expect(signIn(person.email, f.PASSWORD)).rejects.toMatchObject({ kind: "rate_limited" });
    await request(person.email);
    await anonymousCaller().passwordReset.complete({ token: await lastLinkTo(person.email), password: NEW_PASSWORD });
    await expect(signIn(person.email, NEW_PASSWORD)).resolves.toMatchObject({ id: person.id });
  });
});

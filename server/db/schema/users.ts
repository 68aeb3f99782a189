import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

const timestamptz = () => timestamp({ withTimezone: true, mode: "date" });

/** People who sign in. `sessionVersion` is bumped to sign a user out everywhere at once. */
export const users = pgTable("users", {
  id: uuid().primaryKey().defaultRandom(),
  email: text().notNull().unique(),
  name: text().notNull(),
  passwordHash: text(),
  isAdmin: boolean().notNull().default(false),
  disabledAt: timestamptz(),
  sessionVersion: integer().notNull().default(0),
  /** Whether notifications are also sent by e-mail (when SMTP is configured). */
  emailNotifications: boolean().notNull().default(true),
  createdAt: timestamptz().notNull().defaultNow(),
  lastSignInAt: timestamptz(),
});

/** Links an identity at an OIDC provider (issuer + subject) to a user. */
export const oidcIdentities = pgTable(
  "oidc_identities",
  {
    issuer: text().notNull(),
    subject: text().notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), index().on(t.userId)],
);

/** Failed sign-in counters, per e-mail and per client address, shared by every app instance. */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text().primaryKey(),
  failures: integer().notNull(),
  windowStartedAt: timestamptz().notNull(),
  blockedUntil: timestamptz(),
});

/** Self-service password-reset links. Only the SHA-256 of the e-mailed token is kept; a link works once, until it expires. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text().notNull(),
    expiresAt: timestamptz().notNull(),
    usedAt: timestamptz(),
    /** Client address the reset was requested from, for the audit trail. */
    requestedFrom: text(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.tokenHash), index().on(t.userId)],
);

export { timestamptz };

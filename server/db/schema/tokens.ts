import { boolean, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { timestamptz, users } from "./users";

/** Personal access tokens. The secret is shown once; only its SHA-256 is kept. */
export const accessTokens = pgTable(
  "access_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text().notNull(),
    prefix: text().notNull(),
    secretHash: text().notNull(),
    projectId: uuid().references(() => projects.id, { onDelete: "cascade" }),
    readOnly: boolean().notNull().default(false),
    expiresAt: timestamptz(),
    lastUsedAt: timestamptz(),
    revokedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.secretHash), index().on(t.userId)],
);

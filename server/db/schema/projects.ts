import { doublePrecision, index, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz, users } from "./users";

export const projectRole = pgEnum("project_role", ["owner", "maintainer", "contributor", "viewer"]);

export const projects = pgTable("projects", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  description: text().notNull().default(""),
  /** The metric the project ranks runs by on its leaderboard, whether lower or higher is better, and the bar to pass. */
  primaryMetricKey: text(),
  primaryMetricGoal: text({ enum: ["min", "max"] }),
  primaryMetricThreshold: doublePrecision(),
  archivedAt: timestamptz(),
  createdAt: timestamptz().notNull().defaultNow(),
  updatedAt: timestamptz().notNull().defaultNow(),
});

export const projectMembers = pgTable(
  "project_members",
  {
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: projectRole().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index().on(t.userId)],
);

/** An invitation link. Only a hash of its secret is stored; it can be used once. */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    email: text().notNull(),
    role: projectRole().notNull(),
    secretHash: text().notNull(),
    invitedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz().notNull().defaultNow(),
    expiresAt: timestamptz().notNull(),
    acceptedAt: timestamptz(),
    acceptedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamptz(),
  },
  (t) => [uniqueIndex().on(t.secretHash), index().on(t.projectId)],
);

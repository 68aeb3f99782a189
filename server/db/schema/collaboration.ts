import { boolean, index, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { timestamptz, users } from "./users";

export const COMMENT_SUBJECTS = ["run", "model_version", "promotion_request"] as const;
export type CommentSubject = (typeof COMMENT_SUBJECTS)[number];

/** Markdown comments on runs, model versions and promotion requests; replies point to their parent. */
export const comments = pgTable(
  "comments",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    subjectType: text({ enum: COMMENT_SUBJECTS }).notNull(),
    subjectId: text().notNull(),
    parentId: uuid(),
    authorId: uuid().references(() => users.id, { onDelete: "set null" }),
    body: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    editedAt: timestamptz(),
    deletedAt: timestamptz(),
  },
  (t) => [index().on(t.projectId, t.subjectType, t.subjectId, t.createdAt)],
);

export const WATCH_SUBJECTS = ["project", "registered_model"] as const;

/** Who follows what; events on a watched project or model reach its watchers. */
export const watches = pgTable(
  "watches",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    subjectType: text({ enum: WATCH_SUBJECTS }).notNull(),
    subjectId: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.subjectType, t.subjectId] }), index().on(t.subjectType, t.subjectId)],
);

/** A person's inbox. Rows are written only for people who may see the subject. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    title: text().notNull(),
    body: text().notNull().default(""),
    url: text().notNull(),
    actorLabel: text(),
    createdAt: timestamptz().notNull().defaultNow(),
    readAt: timestamptz(),
    /** Whether an e-mail was queued for it (per the person's preference and SMTP being configured). */
    emailQueued: boolean().notNull().default(false),
  },
  (t) => [index().on(t.userId, t.createdAt), index().on(t.userId, t.readAt)],
);

/** Outgoing e-mail, written in the transaction of the event and sent by the job queue. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid().primaryKey().defaultRandom(),
    to: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    attempts: jsonb().$type<{ at: string; error: string }[]>().notNull().default([]),
    createdAt: timestamptz().notNull().defaultNow(),
    sentAt: timestamptz(),
    failedAt: timestamptz(),
  },
  (t) => [index().on(t.sentAt, t.failedAt)],
);

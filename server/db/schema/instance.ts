import { pgTable, text } from "drizzle-orm/pg-core";

/** Instance-wide values generated once and shared by every app instance (e.g. the session secret). */
export const instanceSettings = pgTable("instance_settings", {
  key: text().primaryKey(),
  value: text().notNull(),
});

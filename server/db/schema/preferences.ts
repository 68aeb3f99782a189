import { jsonb, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { timestamptz, users } from "./users";

/** One person's chart layout in one project (pinned metric keys, sections opened or closed). */
export type StoredChartLayout = { pinned: string[]; sections: Record<string, boolean> };

/** What each person keeps of a project's run pages for themselves; nobody else sees it. */
export const chartLayouts = pgTable(
  "chart_layouts",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    layout: jsonb().$type<StoredChartLayout>().notNull(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] })],
);

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { requireUser } from "../../access/authorize";
import type { ProjectContext } from "../../context";
import { chartLayouts, type StoredChartLayout } from "../../db/schema";
import { parseInput } from "../../errors";
import { keyField } from "./limits";

const MAX_PINNED = 100;
const MAX_SECTIONS = 1_000;

const EMPTY: StoredChartLayout = { pinned: [], sections: {} };

export const chartLayoutInput = z.object({
  pinned: z.array(keyField("Metric")).max(MAX_PINNED, `Pin at most ${MAX_PINNED} charts`),
  sections: z
    .record(z.string().min(1).max(300), z.boolean())
    .refine((sections) => Object.keys(sections).length <= MAX_SECTIONS, `A layout remembers at most ${MAX_SECTIONS} sections`),
});

function mine(ctx: ProjectContext) {
  return and(eq(chartLayouts.projectId, ctx.project.id), eq(chartLayouts.userId, requireUser(ctx).user.id));
}

/** My chart layout in the project: what I pinned and which sections I opened or closed. */
export async function getChartLayout({ ctx }: { ctx: ProjectContext }): Promise<StoredChartLayout> {
  const [row] = await ctx.db.select({ layout: chartLayouts.layout }).from(chartLayouts).where(mine(ctx));
  return row?.layout ?? EMPTY;
}

/** Replaces my chart layout in the project (the whole of it, so a retry changes nothing). */
export async function saveChartLayout({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof chartLayoutInput> }): Promise<StoredChartLayout> {
  const layout = parseInput(chartLayoutInput, input);
  const stored = { pinned: [...new Set(layout.pinned)], sections: layout.sections };
  await ctx.db
    .insert(chartLayouts)
    .values({ projectId: ctx.project.id, userId: requireUser(ctx).user.id, layout: stored })
    .onConflictDoUpdate({ target: [chartLayouts.projectId, chartLayouts.userId], set: { layout: stored, updatedAt: new Date() } });
  return stored;
}

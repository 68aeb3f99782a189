import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { inTransaction, type ProjectContext } from "../../context";
import { alerts } from "../../db/schema";
import { conflict, notFound, parseInput } from "../../errors";
import { uuidField } from "../fields";
import { resolveAlertById } from "./lifecycle";
import { rulesOf } from "./rules";

export const resolveAlertInput = z.object({ alertId: uuidField });

/**
 * Resolves an open alert by hand (audited, announced like any resolution). If its rule still
 * holds, the next evaluation opens a new alert: resolving acknowledges, it does not mute.
 */
export async function resolveAlert(ctx: ProjectContext, input: z.input<typeof resolveAlertInput>): Promise<void> {
  const { alertId } = parseInput(resolveAlertInput, input);
  await inTransaction(ctx, async (tx) => {
    const [alert] = await tx.db
      .select({ ruleId: alerts.ruleId, status: alerts.status })
      .from(alerts)
      .where(and(eq(alerts.id, alertId), eq(alerts.projectId, ctx.project.id)))
      .for("update");
    if (!alert) throw notFound("Alert not found");
    if (alert.status !== "open") throw conflict("This alert is already resolved");
    const [rule] = await rulesOf(tx, { ruleId: alert.ruleId });
    await resolveAlertById(tx, rule!, alertId);
  });
}

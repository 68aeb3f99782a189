import type { z } from "zod";
import { reviewRefusal } from "../../access/promotions";
import { requireUser } from "../../access/authorize";
import { inTransaction, type ProjectContext } from "../../context";
import { forbidden, parseInput } from "../../errors";
import { assertOpen, lockedRequest, requestNumberInput, ruleOf, subjectOf } from "./request-rows";
import { transition } from "./transition";

/** The requester (or a reviewer) withdraws an open request. */
export async function cancelRequest({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof requestNumberInput> }) {
  const { number } = parseInput(requestNumberInput, input);
  const actor = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    const request = await lockedRequest(tx, number);
    assertOpen(request);
    const rule = await ruleOf(tx, request);
    const reviewer = rule ? reviewRefusal(tx, { ...rule, allowSelfApproval: true }, null) === null : false;
    if (request.requestedBy !== actor.user.id && !reviewer) throw forbidden("Only the requester or a reviewer can cancel this request");
    const { model } = await subjectOf(tx, request);
    await transition(tx, request, {
      set: { status: "cancelled" },
      event: { model, kind: "promotion.cancelled", details: { request: number } },
      audit: { action: "promotion.cancel", after: { number } },
    });
  });
}

import { z } from "zod";
import { requireUser } from "../../access/authorize";
import { inTransaction, type ProjectContext } from "../../context";
import { promotionRequests } from "../../db/schema";
import { forbidden, parseInput } from "../../errors";
import { assertOpen, lockedRequest, ownRequest, requestNumberInput } from "./request-rows";

export const updateRequestInput = requestNumberInput.extend({ justification: z.string().trim().max(20_000) });

/** The requester refines the justification (e.g. after reviewers asked for changes); the state does not change. */
export async function updateJustification({ ctx, input }: { ctx: ProjectContext; input: z.input<typeof updateRequestInput> }) {
  const { number, justification } = parseInput(updateRequestInput, input);
  const actor = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    const request = await lockedRequest(tx, number);
    if (request.requestedBy !== actor.user.id) throw forbidden("Only the requester can edit the justification");
    assertOpen(request);
    await tx.db.update(promotionRequests).set({ justification, updatedAt: new Date() }).where(ownRequest(tx, request.id));
  });
}

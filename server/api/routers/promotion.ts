import { cancelRequest } from "../../services/promotions/cancel-request";
import { updateJustification, updateRequestInput } from "../../services/promotions/edit-justification";
import { openRequest, openRequestInput } from "../../services/promotions/open-request";
import { requestNumberInput } from "../../services/promotions/request-rows";
import { reviewInput, reviewRequest } from "../../services/promotions/review-request";
import { rollbackInput, rollbackTarget } from "../../services/promotions/rollback";
import { deleteRule, listRules, ruleIdInput, ruleInput, ruleRevisions, saveRule } from "../../services/promotions/rules";
import { getPromotionRequest, listPromotionRequests, listRequestsInput } from "../../services/promotions/view";
import { projectProcedure, router } from "../trpc";

export const promotionRouter = router({
  rules: projectProcedure("project.read").query(({ ctx }) => listRules({ ctx })),
  ruleRevisions: projectProcedure("project.read")
    .input(ruleIdInput)
    .query(({ ctx, input }) => ruleRevisions({ ctx, input })),
  saveRule: projectProcedure("promotion.rules")
    .input(ruleInput)
    .mutation(({ ctx, input }) => saveRule({ ctx, input })),
  deleteRule: projectProcedure("promotion.rules")
    .input(ruleIdInput)
    .mutation(({ ctx, input }) => deleteRule({ ctx, input })),
  list: projectProcedure("project.read")
    .input(listRequestsInput)
    .query(({ ctx, input }) => listPromotionRequests({ ctx, input })),
  get: projectProcedure("project.read")
    .input(requestNumberInput)
    .query(({ ctx, input }) => getPromotionRequest({ ctx, input })),
  /** Opens a promotion request; scripts and pipelines call this with an access token. */
  request: projectProcedure("promotion.request")
    .input(openRequestInput)
    .mutation(({ ctx, input }) => openRequest({ ctx, input, via: ctx.door === "ui" ? "ui" : "api" })),
  /** Admits holders of promotion.review; the target's rule narrows who among them may review. */
  review: projectProcedure("promotion.review")
    .input(reviewInput)
    .mutation(({ ctx, input }) => reviewRequest({ ctx, input })),
  cancel: projectProcedure("promotion.request")
    .input(requestNumberInput)
    .mutation(({ ctx, input }) => cancelRequest({ ctx, input })),
  updateJustification: projectProcedure("promotion.request")
    .input(updateRequestInput)
    .mutation(({ ctx, input }) => updateJustification({ ctx, input })),
  rollback: projectProcedure("promotion.rollback")
    .input(rollbackInput)
    .mutation(({ ctx, input }) => rollbackTarget({ ctx, input })),
});

import { saveCardInput, saveModelCard } from "../../services/model-cards/save";
import { cardInput, getModelCard } from "../../services/model-cards/view";
import { projectProcedure, router } from "../trpc";

export const modelCardRouter = router({
  /** A model's or a version's card: sections (inherited ones marked), suggestions, completeness, lineage. */
  get: projectProcedure("project.read")
    .input(cardInput)
    .query(({ ctx, input }) => getModelCard({ ctx, input })),
  save: projectProcedure("model.write")
    .input(saveCardInput)
    .mutation(({ ctx, input }) => saveModelCard({ ctx, input })),
});

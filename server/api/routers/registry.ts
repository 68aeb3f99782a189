import { updateModelInput, updateRegisteredModel } from "../../services/registry/models";
import { aliasInput, aliasNameInput, deleteAlias, setAlias, transitionInput, transitionStage } from "../../services/registry/targets";
import { registerLoggedModel, registerLoggedModelInput } from "../../services/registry/register-logged-model";
import { listRunLoggedModels, runLoggedModelsInput } from "../../services/registry/run-logged-models";
import { listRunRegistrations, runRegistrationsInput } from "../../services/registry/run-registrations";
import { getVersionArtifacts, versionArtifactsInput } from "../../services/registry/version-artifacts";
import { updateModelVersion, updateVersionInput } from "../../services/registry/versions";
import {
  listModels,
  listModelsInput,
  modelNameInput,
  modelTimeline,
  registryFrameworks,
  stateAtInput,
  targetsAt,
  timelineInput,
  versionInput,
} from "../../services/registry/views";
import { getModelWithPromotions } from "../../services/promotions/model-views";
import { getVersionDetail, versionRequests } from "../../services/promotions/version-views";
import { projectProcedure, router } from "../trpc";

export const registryRouter = router({
  models: projectProcedure("project.read")
    .input(listModelsInput)
    .query(({ ctx, input }) => listModels({ ctx, input })),
  frameworks: projectProcedure("project.read").query(({ ctx }) => registryFrameworks({ ctx })),
  model: projectProcedure("project.read")
    .input(modelNameInput)
    .query(({ ctx, input }) => getModelWithPromotions({ ctx, input })),
  version: projectProcedure("project.read")
    .input(versionInput)
    .query(({ ctx, input }) => getVersionDetail({ ctx, input })),
  versionRequests: projectProcedure("project.read")
    .input(versionInput)
    .query(({ ctx, input }) => versionRequests({ ctx, input })),
  versionArtifacts: projectProcedure("project.read")
    .input(versionArtifactsInput)
    .query(({ ctx, input }) => getVersionArtifacts({ ctx, input })),
  runVersions: projectProcedure("project.read")
    .input(runRegistrationsInput)
    .query(({ ctx, input }) => listRunRegistrations({ ctx, input })),
  runLoggedModels: projectProcedure("project.read")
    .input(runLoggedModelsInput)
    .query(({ ctx, input }) => listRunLoggedModels({ ctx, input })),
  timeline: projectProcedure("project.read")
    .input(timelineInput)
    .query(({ ctx, input }) => modelTimeline({ ctx, input })),
  targetsAt: projectProcedure("project.read")
    .input(stateAtInput)
    .query(({ ctx, input }) => targetsAt({ ctx, input })),
  updateModel: projectProcedure("model.write")
    .input(updateModelInput)
    .mutation(({ ctx, input }) => updateRegisteredModel({ ctx, input })),
  registerLoggedModel: projectProcedure("model.write")
    .input(registerLoggedModelInput)
    .mutation(({ ctx, input }) => registerLoggedModel({ ctx, input })),
  updateVersion: projectProcedure("model.write")
    .input(updateVersionInput)
    .mutation(({ ctx, input }) => updateModelVersion({ ctx, input })),
  setAlias: projectProcedure("model.write")
    .input(aliasInput)
    .mutation(({ ctx, input }) => setAlias({ ctx, input })),
  deleteAlias: projectProcedure("model.write")
    .input(aliasNameInput)
    .mutation(({ ctx, input }) => deleteAlias({ ctx, input })),
  transitionStage: projectProcedure("model.write")
    .input(transitionInput)
    .mutation(({ ctx, input }) => transitionStage({ ctx, input })),
});

import {
  createWebhook,
  createWebhookInput,
  deleteWebhook,
  deliveriesInput,
  listDeliveries,
  listWebhooks,
  redeliver,
  redeliverInput,
  rotateWebhookSecret,
  sendTestDelivery,
  updateWebhook,
  updateWebhookInput,
  webhookIdInput,
} from "../../services/webhooks/webhooks";
import { projectProcedure, router } from "../trpc";

/** Webhooks and their delivery log: maintainers and owners only, reading included (URLs may carry tokens). */
const manage = () => projectProcedure("webhook.manage");

export const webhookRouter = router({
  list: manage().query(({ ctx }) => listWebhooks({ ctx })),
  create: manage()
    .input(createWebhookInput)
    .mutation(({ ctx, input }) => createWebhook({ ctx, input })),
  update: manage()
    .input(updateWebhookInput)
    .mutation(({ ctx, input }) => updateWebhook({ ctx, input })),
  rotateSecret: manage()
    .input(webhookIdInput)
    .mutation(({ ctx, input }) => rotateWebhookSecret({ ctx, input })),
  delete: manage()
    .input(webhookIdInput)
    .mutation(({ ctx, input }) => deleteWebhook({ ctx, input })),
  deliveries: manage()
    .input(deliveriesInput)
    .query(({ ctx, input }) => listDeliveries({ ctx, input })),
  redeliver: manage()
    .input(redeliverInput)
    .mutation(({ ctx, input }) => redeliver({ ctx, input })),
  sendTest: manage()
    .input(webhookIdInput)
    .mutation(({ ctx, input }) => sendTestDelivery({ ctx, input })),
});

ALTER TABLE "registry_events" DROP CONSTRAINT "registry_events_model_id_registered_models_id_fk";
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "registry_events" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "registry_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "registry_events" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_project_chain_key" ON "audit_events" USING btree ("project_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_instance_chain_key" ON "audit_events" USING btree ("seq") WHERE "audit_events"."project_id" is null;--> statement-breakpoint
CREATE INDEX "audit_events_unchained_idx" ON "audit_events" USING btree ("project_id") WHERE "audit_events"."seq" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "registry_events_chain_key" ON "registry_events" USING btree ("project_id","seq");--> statement-breakpoint
CREATE INDEX "registry_events_unchained_idx" ON "registry_events" USING btree ("project_id") WHERE "registry_events"."seq" is null;
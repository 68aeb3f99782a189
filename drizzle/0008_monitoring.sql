CREATE TABLE "alert_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"model_id" uuid,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"config" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"model_id" uuid,
	"subject" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"title" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inference_records" (
	"model_id" uuid NOT NULL,
	"record_id" text NOT NULL,
	"project_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"target" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"features" jsonb NOT NULL,
	"prediction" jsonb,
	"label" jsonb,
	"labelled_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inference_records_model_id_record_id_pk" PRIMARY KEY("model_id","record_id")
);
--> statement-breakpoint
CREATE TABLE "model_cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"version_id" uuid,
	"content" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_monitoring" (
	"model_id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"task" text DEFAULT 'classification' NOT NULL,
	"metric" text DEFAULT 'accuracy' NOT NULL,
	"validation_metric" text,
	"retention_days" integer DEFAULT 30 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_references" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"source" text NOT NULL,
	"rows" integer NOT NULL,
	"columns" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "telemetry_histograms" (
	"version_id" uuid NOT NULL,
	"target" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"column" text NOT NULL,
	"model_id" uuid NOT NULL,
	"counts" integer[] NOT NULL,
	"missing" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "telemetry_histograms_version_id_target_window_start_column_pk" PRIMARY KEY("version_id","target","window_start","column")
);
--> statement-breakpoint
CREATE TABLE "telemetry_windows" (
	"version_id" uuid NOT NULL,
	"target" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"model_id" uuid NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"labelled" integer DEFAULT 0 NOT NULL,
	"correct" integer DEFAULT 0 NOT NULL,
	"abs_error_sum" double precision DEFAULT 0 NOT NULL,
	"squared_error_sum" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "telemetry_windows_version_id_target_window_start_pk" PRIMARY KEY("version_id","target","window_start")
);
--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "format" text DEFAULT 'cairn' NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_rule_id_alert_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inference_records" ADD CONSTRAINT "inference_records_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_cards" ADD CONSTRAINT "model_cards_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_cards" ADD CONSTRAINT "model_cards_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_cards" ADD CONSTRAINT "model_cards_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_cards" ADD CONSTRAINT "model_cards_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_monitoring" ADD CONSTRAINT "model_monitoring_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_monitoring" ADD CONSTRAINT "model_monitoring_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_monitoring" ADD CONSTRAINT "model_monitoring_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_references" ADD CONSTRAINT "monitoring_references_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_references" ADD CONSTRAINT "monitoring_references_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_references" ADD CONSTRAINT "monitoring_references_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_references" ADD CONSTRAINT "monitoring_references_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_histograms" ADD CONSTRAINT "telemetry_histograms_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_histograms" ADD CONSTRAINT "telemetry_histograms_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_windows" ADD CONSTRAINT "telemetry_windows_version_id_model_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "telemetry_windows" ADD CONSTRAINT "telemetry_windows_model_id_registered_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_rules_project_id_kind_index" ON "alert_rules" USING btree ("project_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_subject" ON "alerts" USING btree ("rule_id","subject") WHERE "alerts"."status" = 'open';--> statement-breakpoint
CREATE INDEX "alerts_project_id_status_opened_at_index" ON "alerts" USING btree ("project_id","status","opened_at");--> statement-breakpoint
CREATE INDEX "inference_records_received_at_index" ON "inference_records" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "model_cards_model" ON "model_cards" USING btree ("model_id") WHERE "model_cards"."version_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "model_cards_version" ON "model_cards" USING btree ("version_id") WHERE "model_cards"."version_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_references_version_id_index" ON "monitoring_references" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "telemetry_histograms_model_id_target_window_start_index" ON "telemetry_histograms" USING btree ("model_id","target","window_start");--> statement-breakpoint
CREATE INDEX "telemetry_windows_model_id_target_window_start_index" ON "telemetry_windows" USING btree ("model_id","target","window_start");
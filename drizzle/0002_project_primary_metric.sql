ALTER TABLE "projects" ADD COLUMN "primary_metric_key" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "primary_metric_goal" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "primary_metric_threshold" double precision;
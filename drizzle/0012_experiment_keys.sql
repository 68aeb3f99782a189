CREATE TYPE "public"."key_kind" AS ENUM('metrics', 'params', 'tags');--> statement-breakpoint
CREATE TABLE "experiment_keys" (
	"experiment_id" uuid NOT NULL,
	"kind" "key_kind" NOT NULL,
	"key" text NOT NULL,
	CONSTRAINT "experiment_keys_experiment_id_kind_key_pk" PRIMARY KEY("experiment_id","kind","key")
);
--> statement-breakpoint
ALTER TABLE "experiment_keys" ADD CONSTRAINT "experiment_keys_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The keys logged before the catalogue existed.
INSERT INTO "experiment_keys" ("experiment_id", "kind", "key")
SELECT DISTINCT r."experiment_id", 'metrics'::"key_kind", s."key" FROM "metric_series" s JOIN "runs" r ON r."id" = s."run_id"
UNION SELECT DISTINCT r."experiment_id", 'params'::"key_kind", p."key" FROM "run_params" p JOIN "runs" r ON r."id" = p."run_id"
UNION SELECT DISTINCT r."experiment_id", 'tags'::"key_kind", t."key" FROM "run_tags" t JOIN "runs" r ON r."id" = t."run_id";

CREATE TABLE "metric_rollups" (
	"series_id" bigint NOT NULL,
	"width" integer NOT NULL,
	"bucket" bigint NOT NULL,
	"count" bigint NOT NULL,
	"min" double precision,
	"max" double precision,
	"x0" bigint NOT NULL,
	"x1" bigint NOT NULL,
	"last_step" bigint NOT NULL,
	"last_timestamp" bigint NOT NULL,
	"last_value" double precision NOT NULL,
	CONSTRAINT "metric_rollups_series_id_width_bucket_pk" PRIMARY KEY("series_id","width","bucket")
);
--> statement-breakpoint
ALTER TABLE "metric_series" ADD COLUMN "rolled_up" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Backfill: series that already qualify for rollups (server/services/tracking/rollups.ts) get them
-- built from their points, as ingest builds them when a series reaches the threshold.
INSERT INTO "metric_rollups" ("series_id", "width", "bucket", "count", "min", "max", "x0", "x1", "last_step", "last_timestamp", "last_value")
SELECT series_id, width, bucket, n, lo, hi, x0, x1, last[1]::bigint, last[2]::bigint, last[3]
FROM (
	SELECT p.series_id, w.width, p.step >> w.shift AS bucket, count(*) AS n,
		min(p.value) FILTER (WHERE p.value <> 'NaN') AS lo,
		max(p.value) FILTER (WHERE p.value <> 'NaN') AS hi,
		min(p.step) AS x0, max(p.step) AS x1,
		max(array[p.step::float8, p.timestamp::float8, p.value]) AS last
	FROM "metric_points" p
	JOIN "metric_series" s ON s.id = p.series_id AND NOT s.rolled_up AND s.count >= 32768 + s.id % 32768
	CROSS JOIN (VALUES (64, 6), (512, 9), (4096, 12), (32768, 15)) AS w(width, shift)
	GROUP BY p.series_id, w.width, bucket
) g;--> statement-breakpoint
UPDATE "metric_series" SET "rolled_up" = true WHERE NOT "rolled_up" AND "count" >= 32768 + "id" % 32768;

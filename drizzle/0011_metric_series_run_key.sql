-- The series' primary key leads with its run, the distribution column docs/SCALING.md gives Citus.
-- One statement, so the table is never without a primary key.
ALTER TABLE "metric_series" DROP CONSTRAINT "metric_series_pkey", ADD CONSTRAINT "metric_series_run_id_id_pk" PRIMARY KEY("run_id","id");

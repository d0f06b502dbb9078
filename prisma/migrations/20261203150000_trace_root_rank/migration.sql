-- How good the span that names a trace is (server/store/write.ts): 0 the root (no parent),
-- 1 another span, 2 a CLIENT span (a Redis command, an SQL statement). A trace whose root has
-- not arrived is named by its earliest best-ranked span, not by whichever command came first.
-- root_start_unix_nano is that span's start, for "at the same rank, the earlier one".
ALTER TABLE "telemetry"."traces" ADD COLUMN "root_rank" SMALLINT NOT NULL DEFAULT 2,
  ADD COLUMN "root_start_unix_nano" BIGINT;
UPDATE "telemetry"."traces" SET "root_rank" = 0 WHERE "has_root";
UPDATE "telemetry"."traces" SET "root_start_unix_nano" = "start_time_unix_nano";

-- Resources are stored once (telemetry.resources) instead of as JSONB on every span, and the
-- spans start-time index goes: retention now finds its cutoff from telemetry.traces.
-- Both cut ingest cost per span (see server/store/write.ts).

-- CreateTable
CREATE TABLE "telemetry"."resources" (
    "id" BIGINT NOT NULL,
    "attributes" JSONB NOT NULL,

    CONSTRAINT "resources_pkey" PRIMARY KEY ("id")
);

-- DropIndex
DROP INDEX "telemetry"."spans_start_time_unix_nano_idx";

-- Backfill: existing spans keep their resource. Ids of these rows come from the PostgreSQL md5 of
-- the jsonb text, the collector hashes its own JSON text, so an existing resource may get a
-- second id later, which is harmless (ids are opaque keys).
ALTER TABLE "telemetry"."spans" ADD COLUMN "resource_id" BIGINT;

INSERT INTO "telemetry"."resources" ("id", "attributes")
SELECT DISTINCT ON (h) h, "resource"
FROM (SELECT ('x' || substr(md5("resource"::text), 1, 16))::bit(64)::bigint AS h, "resource"
      FROM "telemetry"."spans") AS r
ON CONFLICT DO NOTHING;

UPDATE "telemetry"."spans"
SET "resource_id" = ('x' || substr(md5("resource"::text), 1, 16))::bit(64)::bigint;

ALTER TABLE "telemetry"."spans" DROP COLUMN "resource",
ALTER COLUMN "resource_id" SET NOT NULL;

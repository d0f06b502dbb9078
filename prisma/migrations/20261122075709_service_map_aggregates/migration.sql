-- Service map aggregates, folded by the collector at ingest (server/service-map/aggregator.ts),
-- so the map and the services page never scan telemetry.spans.

-- CreateTable
CREATE TABLE "telemetry"."edge_minutes" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "from_node" TEXT NOT NULL,
    "to_node" TEXT NOT NULL,
    "edge_type" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "duration_sum_us" BIGINT NOT NULL,
    "duration_max_us" BIGINT NOT NULL,
    "latency_hist" INTEGER[],

    CONSTRAINT "edge_minutes_pkey" PRIMARY KEY ("bucket","from_node","to_node","edge_type")
);

-- CreateTable
CREATE TABLE "telemetry"."instance_minutes" (
    "bucket" TIMESTAMPTZ(0) NOT NULL,
    "service_name" TEXT NOT NULL,
    "instance_id" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "duration_sum_us" BIGINT NOT NULL,

    CONSTRAINT "instance_minutes_pkey" PRIMARY KEY ("bucket","service_name","instance_id")
);

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "inventory";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "notification";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "orders";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "telemetry";

-- CreateEnum
CREATE TYPE "orders"."OrderStatus" AS ENUM ('PENDING', 'CONFIRMED', 'REJECTED');

-- CreateTable
CREATE TABLE "telemetry"."spans" (
    "trace_id" CHAR(32) NOT NULL,
    "span_id" CHAR(16) NOT NULL,
    "parent_span_id" CHAR(16),
    "name" TEXT NOT NULL,
    "kind" SMALLINT NOT NULL,
    "service_name" TEXT NOT NULL,
    "start_time_unix_nano" BIGINT NOT NULL,
    "end_time_unix_nano" BIGINT NOT NULL,
    "status_code" SMALLINT NOT NULL,
    "status_message" TEXT,
    "attributes" JSONB NOT NULL,
    "events" JSONB NOT NULL,
    "links" JSONB NOT NULL,
    "resource" JSONB NOT NULL,
    "scope_name" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spans_pkey" PRIMARY KEY ("trace_id","span_id")
);

-- CreateTable
CREATE TABLE "telemetry"."traces" (
    "trace_id" CHAR(32) NOT NULL,
    "root_name" TEXT NOT NULL,
    "root_service" TEXT NOT NULL,
    "has_root" BOOLEAN NOT NULL,
    "services" TEXT[],
    "span_count" INTEGER NOT NULL,
    "error_count" INTEGER NOT NULL,
    "start_time_unix_nano" BIGINT NOT NULL,
    "end_time_unix_nano" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "traces_pkey" PRIMARY KEY ("trace_id")
);

-- CreateTable
CREATE TABLE "orders"."orders" (
    "id" UUID NOT NULL,
    "customer_id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" "orders"."OrderStatus" NOT NULL,
    "reason" TEXT,
    "trace_id" CHAR(32),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inventory"."products" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "price_cents" INTEGER NOT NULL,
    "stock" INTEGER NOT NULL,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inventory"."reservations" (
    "order_id" UUID NOT NULL,
    "product_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reservations_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "notification"."notifications" (
    "message_id" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("message_id")
);

-- CreateIndex
CREATE INDEX "spans_start_time_unix_nano_idx" ON "telemetry"."spans"("start_time_unix_nano");

-- CreateIndex
CREATE INDEX "traces_start_time_unix_nano_idx" ON "telemetry"."traces"("start_time_unix_nano" DESC);

-- CreateIndex
CREATE INDEX "traces_updated_at_idx" ON "telemetry"."traces"("updated_at");

-- CreateIndex
CREATE INDEX "orders_created_at_idx" ON "orders"."orders"("created_at" DESC);

-- CreateIndex
CREATE INDEX "notifications_order_id_idx" ON "notification"."notifications"("order_id");

-- AddForeignKey
ALTER TABLE "inventory"."reservations" ADD CONSTRAINT "reservations_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "inventory"."products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

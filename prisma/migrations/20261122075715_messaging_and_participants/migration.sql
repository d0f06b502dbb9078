-- Transactional outbox, processed_messages, and the payment, shipping and analytics services' tables
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "analytics";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "payment";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "shipping";

-- CreateEnum
CREATE TYPE "inventory"."ReservationStatus" AS ENUM ('RESERVED', 'RELEASED');

-- CreateEnum
CREATE TYPE "payment"."PaymentStatus" AS ENUM ('CHARGED', 'DECLINED', 'REFUNDED', 'VOIDED');

-- CreateEnum
CREATE TYPE "shipping"."ShipmentStatus" AS ENUM ('CREATED', 'REJECTED', 'CANCELLED');

-- AlterTable
ALTER TABLE "inventory"."reservations" ADD COLUMN     "released_at" TIMESTAMPTZ(3),
ADD COLUMN     "status" "inventory"."ReservationStatus" NOT NULL DEFAULT 'RESERVED';

-- CreateTable
CREATE TABLE "orders"."outbox" (
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "traceparent" TEXT,
    "tracestate" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inventory"."outbox" (
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "traceparent" TEXT,
    "tracestate" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment"."outbox" (
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "traceparent" TEXT,
    "tracestate" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipping"."outbox" (
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "traceparent" TEXT,
    "tracestate" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders"."processed_messages" (
    "consumer" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_messages_pkey" PRIMARY KEY ("consumer","message_id")
);

-- CreateTable
CREATE TABLE "inventory"."processed_messages" (
    "consumer" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_messages_pkey" PRIMARY KEY ("consumer","message_id")
);

-- CreateTable
CREATE TABLE "payment"."processed_messages" (
    "consumer" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_messages_pkey" PRIMARY KEY ("consumer","message_id")
);

-- CreateTable
CREATE TABLE "shipping"."processed_messages" (
    "consumer" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_messages_pkey" PRIMARY KEY ("consumer","message_id")
);

-- CreateTable
CREATE TABLE "notification"."processed_messages" (
    "consumer" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_messages_pkey" PRIMARY KEY ("consumer","message_id")
);

-- CreateTable
CREATE TABLE "analytics"."processed_messages" (
    "consumer" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_messages_pkey" PRIMARY KEY ("consumer","message_id")
);

-- CreateTable
CREATE TABLE "payment"."accounts" (
    "customer_id" TEXT NOT NULL,
    "credit_limit_cents" INTEGER NOT NULL,
    "available_cents" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "payment"."payments" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "customer_id" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "idempotency_key" TEXT,
    "status" "payment"."PaymentStatus" NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "refunded_at" TIMESTAMPTZ(3),
    "refund_reason" TEXT,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipping"."shipments" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "customer_id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" "shipping"."ShipmentStatus" NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "shipments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analytics"."event_counts" (
    "style" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_counts_pkey" PRIMARY KEY ("style","event_name","outcome")
);

-- CreateIndex
CREATE INDEX "outbox_sent_at_created_at_idx" ON "orders"."outbox"("sent_at", "created_at");

-- CreateIndex
CREATE INDEX "outbox_sent_at_created_at_idx" ON "inventory"."outbox"("sent_at", "created_at");

-- CreateIndex
CREATE INDEX "outbox_sent_at_created_at_idx" ON "payment"."outbox"("sent_at", "created_at");

-- CreateIndex
CREATE INDEX "outbox_sent_at_created_at_idx" ON "shipping"."outbox"("sent_at", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "payments_order_id_key" ON "payment"."payments"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "payments_idempotency_key_key" ON "payment"."payments"("idempotency_key");

-- CreateIndex
CREATE INDEX "payments_customer_id_idx" ON "payment"."payments"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "shipments_order_id_key" ON "shipping"."shipments"("order_id");


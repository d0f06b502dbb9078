-- Order recovery (services/order/recovery): CONFIRMED (hybrid: paid and reserved, shipping still
-- to answer), and what the recovery sweeper needs to finish an order nobody else will finish.
ALTER TYPE "orders"."OrderStatus" ADD VALUE IF NOT EXISTS 'CONFIRMED' AFTER 'PENDING';

ALTER TABLE "orders"."orders"
  ADD COLUMN "recovery" TEXT,
  ADD COLUMN "recovery_attempts" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "next_recovery_at" TIMESTAMPTZ(3),
  ADD COLUMN "traceparent" TEXT;

CREATE INDEX "orders_recovery_idx" ON "orders"."orders" ("next_recovery_at")
  WHERE "status" IN ('PENDING', 'CONFIRMED');

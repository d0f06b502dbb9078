-- Order styles, terminal statuses COMPLETED and COMPENSATED, and the saga orchestrator state
-- AlterEnum: CONFIRMED becomes COMPLETED, existing rows keep their meaning
ALTER TYPE "orders"."OrderStatus" RENAME VALUE 'CONFIRMED' TO 'COMPLETED';
ALTER TYPE "orders"."OrderStatus" ADD VALUE IF NOT EXISTS 'COMPENSATED';

-- CreateEnum
CREATE TYPE "orders"."OrderStyle" AS ENUM ('sync', 'choreography', 'saga', 'hybrid');

-- CreateEnum
CREATE TYPE "orders"."SagaStatus" AS ENUM ('running', 'compensating', 'completed', 'compensated');

-- AlterTable
ALTER TABLE "orders"."orders" ADD COLUMN     "amount_cents" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "completed_at" TIMESTAMPTZ(3),
ADD COLUMN     "flow_events" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "style" "orders"."OrderStyle" NOT NULL DEFAULT 'sync';

-- Orders placed before this migration ended when they were last updated
UPDATE "orders"."orders" SET "completed_at" = "updated_at" WHERE "status" <> 'PENDING';

-- CreateTable
CREATE TABLE "orders"."sagas" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "status" "orders"."SagaStatus" NOT NULL,
    "current_step" TEXT,
    "step_index" INTEGER NOT NULL DEFAULT 0,
    "step_results" JSONB NOT NULL DEFAULT '{}',
    "compensated" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reason" TEXT,
    "traceparent" TEXT,
    "tracestate" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "sagas_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sagas_order_id_key" ON "orders"."sagas"("order_id");

-- CreateIndex
CREATE INDEX "sagas_status_idx" ON "orders"."sagas"("status");

-- AddForeignKey
ALTER TABLE "orders"."sagas" ADD CONSTRAINT "sagas_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

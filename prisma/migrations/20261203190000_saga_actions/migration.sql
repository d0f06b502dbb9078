-- Saga actions (services/order/saga): a step that gets no answer waits for its next attempt with
-- the schedule persisted, so the dashboard can show it and a person can act on it. The request
-- columns are written by the actions and read by the orchestrator: they never move `version`, so
-- a request never makes the orchestrator lose the saga.
ALTER TABLE "orders"."sagas"
  ADD COLUMN "step_attempts" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "next_attempt_at" TIMESTAMPTZ(3),
  ADD COLUMN "last_error" TEXT,
  ADD COLUMN "cancel_requested_at" TIMESTAMPTZ(3),
  ADD COLUMN "retry_requested_for" INTEGER;

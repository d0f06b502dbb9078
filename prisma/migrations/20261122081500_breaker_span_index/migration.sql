-- Circuit breaker spans for the dashboard breakers page: every call attempt under a breaker
-- (app.retry.attempt) and every breaker state change (app.breaker.to_state).
-- A partial index: ingest only evaluates the predicate for other spans.
-- Prisma cannot express partial indexes and leaves this one alone when diffing the schema.
CREATE INDEX "spans_breaker_idx" ON "telemetry"."spans" ("start_time_unix_nano" DESC) WHERE ("attributes" ? 'app.retry.attempt' OR "attributes" ? 'app.breaker.to_state');

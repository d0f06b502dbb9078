-- Dead-letter and replay spans (the only spans carrying app.dlq.id) for the dashboard dead-letter page.
-- A partial index: ingest only evaluates the predicate, and the index holds just those rare spans.
-- Prisma cannot express partial indexes and leaves this one alone when diffing the schema.
CREATE INDEX "spans_dead_letter_idx" ON "telemetry"."spans" ("start_time_unix_nano" DESC) WHERE "attributes" ? 'app.dlq.id';

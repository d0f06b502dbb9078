-- Saga spans (the only spans carrying app.saga.id) for the dashboard saga pages: a saga is looked
-- up by id, and the list takes the newest sagas. A partial expression index: ingest only
-- evaluates the predicate for other spans, and the index holds just the orchestrator spans.
-- Prisma cannot express partial or expression indexes and leaves this one alone when diffing.
CREATE INDEX "spans_saga_idx" ON "telemetry"."spans" (("attributes" ->> 'app.saga.id'), "start_time_unix_nano") WHERE "attributes" ? 'app.saga.id';

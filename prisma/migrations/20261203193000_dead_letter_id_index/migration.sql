-- Dead-letter page, paged (server/dlq/page-query.ts, issue 13): once a page's dead-letter ids are
-- known, their dead-letter, replay and discard spans are read by id, and a trace's dead letters
-- are found again by id. A partial expression index over the same rare spans as
-- spans_dead_letter_idx (only spans carrying app.dlq.id): ingest only evaluates the predicate for
-- every other span. Prisma cannot express partial or expression indexes and leaves this one alone
-- when diffing the schema.
CREATE INDEX "spans_dead_letter_id_idx" ON "telemetry"."spans" (("attributes"->>'app.dlq.id')) WHERE "attributes" ? 'app.dlq.id';

-- Trace search (server/store/search.ts, issue 12).
-- key=value conditions and id lookups (an order, saga, message or correlation id typed in the
-- search box) are JSONB containment on span attributes. jsonb_path_ops keeps one hashed entry per
-- attribute value (about half the entries of the default jsonb_ops, so less ingest work and a
-- smaller index) and serves exactly @>: exists and numeric comparisons are checked span by
-- span on the traces the time-ordered walk reaches. Ingest cost: see docs/performance.md.
CREATE INDEX "spans_attributes_idx" ON "telemetry"."spans" USING GIN ("attributes" jsonb_path_ops);

-- min/max duration: trace duration as an expression (Prisma cannot express expression indexes
-- and leaves this one alone when diffing the schema). A search for slow traces reads the few
-- long ones from here instead of walking every trace of the time range.
CREATE INDEX "traces_duration_idx" ON "telemetry"."traces" (("end_time_unix_nano" - "start_time_unix_nano"));

-- Errors only (the list's checkbox, status:error): the newest failed traces without visiting every
-- trace of the time range. A partial index: ingest only evaluates the predicate for other traces.
CREATE INDEX "traces_errors_idx" ON "telemetry"."traces" ("start_time_unix_nano" DESC) WHERE "error_count" > 0;

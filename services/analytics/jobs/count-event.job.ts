import type { EventEnvelope } from "../../contracts/index.ts";
import { sql, type Statement } from "../../kit/guarded-effect.ts";
import { outcomeOf } from "../domain/outcome.ts";

/**
 * Counts one event under (style, event, outcome): one statement that reads the ledger's
 * `"first"` (kit/guarded-effect.ts), so a redelivery, whose message id is already recorded,
 * counts nothing.
 */
export function countEvent(event: EventEnvelope): Statement {
  return sql`
    INSERT INTO "analytics"."event_counts" ("style", "event_name", "outcome", "count", "last_event_at")
    SELECT ${event.style}::text, ${event.name}::text, ${outcomeOf(event.name)}::text, 1, ${new Date(event.occurredAt)}::timestamptz FROM "first"
    ON CONFLICT ("style", "event_name", "outcome")
    DO UPDATE SET "count" = "analytics"."event_counts"."count" + 1,
                  "last_event_at" = GREATEST("analytics"."event_counts"."last_event_at", EXCLUDED."last_event_at")`;
}

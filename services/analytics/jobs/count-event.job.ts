import type { EventEnvelope } from "../../contracts/index.ts";
import type { PgTx } from "../../kit/pg-tx.ts";
import { outcomeOf } from "../domain/outcome.ts";

/**
 * Counts one event under (style, event, outcome), inside the subscriber's transaction: the
 * processed_messages row of the same transaction keeps a redelivery from counting twice.
 */
export async function countEvent(event: EventEnvelope, tx: PgTx): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "analytics"."event_counts" ("style", "event_name", "outcome", "count", "last_event_at")
    VALUES (${event.style}, ${event.name}, ${outcomeOf(event.name)}, 1, ${new Date(event.occurredAt)})
    ON CONFLICT ("style", "event_name", "outcome")
    DO UPDATE SET "count" = "analytics"."event_counts"."count" + 1,
                  "last_event_at" = GREATEST("analytics"."event_counts"."last_event_at", EXCLUDED."last_event_at")`;
}

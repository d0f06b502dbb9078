import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";

/**
 * Statements whose span only repeats the Prisma transaction span around it: BEGIN starts with it,
 * COMMIT ends with it. ROLLBACK is kept: that the transaction was undone is a fact of its own.
 */
const REPEATING_STATEMENTS = new Set(["BEGIN", "COMMIT"]);

/** True for a span that says nothing its parent does not (see REPEATING_STATEMENTS). */
export function repeatsItsParent(span: Pick<ReadableSpan, "name" | "attributes">): boolean {
  if (span.name !== "prisma:client:db_query") return false;
  const text = span.attributes["db.query.text"] ?? span.attributes["db.statement"];
  return typeof text === "string" && REPEATING_STATEMENTS.has(text.trim().toUpperCase());
}

/**
 * Passes every ended span to `next` except those that only repeat their parent. Prisma offers no
 * filter by statement (its `ignoreSpanTypes` matches span names, and every statement is
 * `prisma:client:db_query`), so this sits in front of the batch processor: the span is still
 * made, but never queued, exported, ingested or stored (about a seventh of a hybrid order's spans).
 */
export class DropRepeatingSpans implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}
  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }
  onEnd(span: ReadableSpan): void {
    if (!repeatsItsParent(span)) this.next.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

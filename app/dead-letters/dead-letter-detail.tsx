import Link from "next/link";
import type { DeadLetterEntry } from "../../server/dlq/types.ts";
import { nsToMs } from "../lib/format.ts";

/** The payload pretty-printed when it is whole JSON; as stored otherwise (cut on the span). */
function prettyPayload(entry: DeadLetterEntry): string {
  if (entry.payloadTruncated) return entry.payload;
  try {
    return JSON.stringify(JSON.parse(entry.payload), null, 2);
  } catch {
    return entry.payload;
  }
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

const PRE = "max-h-72 overflow-auto rounded-md border border-line bg-bg p-2 font-mono text-[12px] leading-snug whitespace-pre-wrap";

/** One dead letter in full: facts, payload, error with stack, and links to both traces. */
export function DeadLetterDetail({ entry }: { entry: DeadLetterEntry }) {
  const replay = entry.replay;
  return (
    <div className="grid grid-cols-1 gap-4 bg-subtle px-4 py-3 lg:grid-cols-[minmax(16rem,22rem)_1fr_1fr]" data-testid="dead-letter-detail">
      <dl className="grid grid-cols-[auto_1fr] content-start gap-x-3 gap-y-1">
        <Fact label="Dead letter">
          <span className="font-mono text-[12px] break-all">{entry.id}</span>
        </Fact>
        <Fact label="Job">
          {entry.jobName} <span className="font-mono text-[12px] break-all text-muted">#{entry.originalJobId}</span>
        </Fact>
        <Fact label="Consumer">{entry.serviceName}</Fact>
        <Fact label="Attempts">
          {entry.attempts}
          {entry.maxAttempts ? ` of ${entry.maxAttempts}` : ""}
        </Fact>
        <Fact label="Moved by">{entry.detectedBy}</Fact>
        <Fact label="At">{new Date(nsToMs(entry.deadLetteredAtUnixNano)).toLocaleString()}</Fact>
        <Fact label="Original">
          <Link href={`/traces/${entry.traceId}?span=${entry.spanId}`} className="text-accent hover:underline" data-testid="original-trace-link">
            trace {entry.traceId.slice(0, 8)} · dead-letter span
          </Link>
        </Fact>
        {entry.replayOf && (
          <Fact label="Replay of">
            <span className="font-mono text-[12px]">{entry.replayOf}</span>
          </Fact>
        )}
        {replay && (
          <Fact label="Replayed">
            <Link href={`/traces/${replay.traceId}?span=${replay.spanId}`} className="text-accent hover:underline" data-testid="replay-trace-link">
              trace {replay.traceId.slice(0, 8)}
            </Link>{" "}
            by {replay.serviceName}, {replay.attempts} attempt{replay.attempts === 1 ? "" : "s"}
            {replay.deadLetterId ? ` → dead-lettered again as ${replay.deadLetterId}` : ""}
          </Fact>
        )}
      </dl>
      <section className="min-w-0">
        <h3 className="mb-1 font-medium">
          Payload {entry.payloadTruncated && <span className="font-normal text-warn">(cut at the span&apos;s size cap)</span>}
        </h3>
        <pre className={PRE} data-testid="dead-letter-payload">{prettyPayload(entry)}</pre>
      </section>
      <section className="min-w-0">
        <h3 className="mb-1 font-medium">
          Error {entry.errorType && <span className="font-mono text-[12px] font-normal text-muted">{entry.errorType}</span>}
        </h3>
        <p className="mb-1 text-danger">{entry.errorMessage}</p>
        {entry.errorStack && <pre className={PRE}>{entry.errorStack}</pre>}
      </section>
    </div>
  );
}

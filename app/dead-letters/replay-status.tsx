import Link from "next/link";
import type { DeadLetterEntry } from "../../server/dlq/types.ts";
import { formatAgo } from "../lib/format.ts";

const BADGE = "inline-flex items-center rounded px-1.5 text-[11px] font-semibold whitespace-nowrap";

/** The reason a message was dead-lettered, as a small coloured label. */
export function ReasonBadge({ reason }: { reason: DeadLetterEntry["reason"] }) {
  const tone = reason === "unrecoverable" ? "bg-danger-bg text-danger" : reason === "stalled" ? "bg-warn-bg text-warn" : "bg-hover text-fg";
  return <span className={`${BADGE} ${tone}`}>{reason}</span>;
}

const STATUS_LABEL = {
  pending: "replayed · waiting",
  retrying: "replayed · retrying",
  processed: "replayed · processed",
  "failed-again": "replayed · failed again",
} as const;

/**
 * Where the message stands: still in the DLQ, being replayed (this tab asked, the span is not
 * stored yet), or replayed and how that ended, linking to the replay's trace.
 */
export function ReplayStatus({ entry, isRequested, now }: { entry: DeadLetterEntry; isRequested: boolean; now: number }) {
  const replay = entry.replay;
  if (!replay) {
    return isRequested ? <span className={`${BADGE} bg-hover text-muted`}>replaying…</span> : <span className="text-muted">in DLQ</span>;
  }
  const tone =
    replay.status === "processed" ? "bg-ok-bg text-ok" : replay.status === "failed-again" ? "bg-danger-bg text-danger" : "bg-warn-bg text-warn";
  return (
    <span className="flex items-center gap-1.5" data-testid="replay-status" data-status={replay.status}>
      <Link
        href={`/traces/${replay.traceId}?span=${replay.spanId}`}
        onClick={(e) => e.stopPropagation()}
        className={`${BADGE} ${tone} hover:underline`}
        title={`Replay trace ${replay.traceId}`}
      >
        {STATUS_LABEL[replay.status]}
      </Link>
      <span className="whitespace-nowrap text-muted tabular-nums">{formatAgo(replay.replayedAtUnixNano, now)}</span>
    </span>
  );
}

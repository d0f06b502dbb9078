"use client";
import Link from "next/link";
import { Fragment } from "react";
import type { DeadLetterEntry } from "../../server/dlq/types.ts";
import { formatAgo, nsToMs } from "../lib/format.ts";
import { useNow } from "../lib/use-now.ts";
import { DeadLetterDetail } from "./dead-letter-detail.tsx";
import { ReasonBadge, ReplayStatus } from "./replay-status.tsx";

const TH = "sticky top-0 z-10 border-b border-line bg-subtle px-3 py-1.5 text-left font-medium whitespace-nowrap text-muted";
const COLUMNS = 8;

type TableProps = {
  items: DeadLetterEntry[];
  selected: ReadonlySet<string>;
  /** Ids this tab asked to replay (shown as "replaying…" until the replay span is stored). */
  requested: ReadonlySet<string>;
  openId: string | undefined;
  isReplaying: boolean;
  onSelect: (next: ReadonlySet<string>) => void;
  onToggleOpen: (id: string) => void;
  onReplay: (id: string) => void;
  /** Asks to discard one dead letter (the list confirms first). */
  onDiscard: (id: string) => void;
};

/** Dead letters, newest first; a row opens its detail; checkboxes select messages to replay. */
export function DeadLetterTable({ items, selected, requested, openId, isReplaying, onSelect, onToggleOpen, onReplay, onDiscard }: TableProps) {
  const now = useNow();
  const replayable = items.filter((e) => !e.replay && !requested.has(e.id));
  const isAllSelected = replayable.length > 0 && replayable.every((e) => selected.has(e.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  return (
    <table className="w-full border-separate border-spacing-0" data-testid="dead-letter-table">
      <thead>
        <tr>
          <th className={`${TH} w-8`}>
            <input
              type="checkbox"
              aria-label="Select all that can be replayed"
              checked={isAllSelected}
              disabled={replayable.length === 0}
              onChange={() => onSelect(isAllSelected ? new Set() : new Set(replayable.map((e) => e.id)))}
            />
          </th>
          <th className={TH}>Message</th>
          <th className={TH}>Source queue</th>
          <th className={TH}>Reason</th>
          <th className={`${TH} text-right`}>Attempts</th>
          <th className={TH}>Error</th>
          <th className={`${TH} text-right`}>Dead-lettered</th>
          <th className={TH}>Replay</th>
        </tr>
      </thead>
      <tbody>
        {items.map((entry) => {
          const isOpen = entry.id === openId;
          const canReplay = !entry.replay && !requested.has(entry.id);
          return (
            <Fragment key={entry.id}>
              <tr
                data-testid="dead-letter-row"
                data-id={entry.id}
                onClick={() => onToggleOpen(entry.id)}
                aria-expanded={isOpen}
                className={`cursor-pointer ${isOpen ? "bg-selected" : "hover:bg-hover"} [&>td]:border-b [&>td]:border-line [&>td]:px-3 [&>td]:py-1.5`}
              >
                <td onClick={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${entry.id}`}
                    checked={selected.has(entry.id)}
                    disabled={!canReplay}
                    onChange={() => toggle(entry.id)}
                  />
                </td>
                <td className="max-w-0 min-w-48">
                  <div className="flex items-center gap-2">
                    <span className="truncate font-medium" title={entry.jobName || undefined}>{entry.jobName || "(unnamed job)"}</span>
                    <Link
                      href={`/traces/${entry.traceId}?span=${entry.spanId}`}
                      onClick={(e) => e.stopPropagation()}
                      className="font-mono text-[11px] text-muted hover:text-accent hover:underline"
                      title="Open the original trace at the dead-letter span"
                    >
                      {entry.traceId.slice(0, 8)}
                    </Link>
                  </div>
                </td>
                <td className="max-w-0 min-w-28">
                  <span className="block truncate font-mono text-[12px]" title={entry.sourceQueue}>{entry.sourceQueue}</span>
                </td>
                <td>
                  <ReasonBadge reason={entry.reason} />
                </td>
                <td className="text-right tabular-nums">
                  {entry.attempts}
                  {entry.maxAttempts ? <span className="text-muted">/{entry.maxAttempts}</span> : null}
                </td>
                <td className="max-w-0 min-w-56">
                  <span className="block truncate text-danger" title={entry.errorMessage}>
                    {entry.errorMessage}
                  </span>
                </td>
                <td className="text-right whitespace-nowrap text-muted tabular-nums">
                  <time dateTime={new Date(nsToMs(entry.deadLetteredAtUnixNano)).toISOString()} title={new Date(nsToMs(entry.deadLetteredAtUnixNano)).toLocaleString()}>
                    {formatAgo(entry.deadLetteredAtUnixNano, now)}
                  </time>
                </td>
                <td onClick={(e) => e.stopPropagation()}>
                  <div className="flex items-center gap-2">
                    <ReplayStatus entry={entry} isRequested={requested.has(entry.id)} now={now} />
                    {canReplay && (
                      <button
                        type="button"
                        data-testid="replay-one"
                        disabled={isReplaying}
                        onClick={() => onReplay(entry.id)}
                        className="rounded-md border border-line-strong px-2 py-0.5 hover:bg-hover disabled:opacity-40"
                      >
                        Replay
                      </button>
                    )}
                    {canReplay && (
                      <button
                        type="button"
                        data-testid="discard-one"
                        disabled={isReplaying}
                        onClick={() => onDiscard(entry.id)}
                        className="rounded-md border border-danger/50 px-2 py-0.5 text-danger hover:bg-danger-bg disabled:opacity-40"
                      >
                        Discard
                      </button>
                    )}
                  </div>
                </td>
              </tr>
              {isOpen && (
                <tr>
                  <td colSpan={COLUMNS} className="border-b border-line p-0">
                    <DeadLetterDetail entry={entry} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

"use client";
import { DEAD_LETTER_REASONS } from "../../services/contracts/dead-letter.ts";
import type { DeadLetterFilters } from "./use-dead-letter-filters.ts";

const SELECT = "rounded-md border border-line-strong bg-bg px-2 py-1";

/** Source queue, reason and replayed selects above the dead-letter table. */
export function DeadLetterFilterBar({
  filters,
  queues,
  onChange,
}: {
  filters: DeadLetterFilters;
  queues: string[];
  onChange: (patch: Partial<Omit<DeadLetterFilters, "page">>) => void;
}) {
  const queueOptions = new Set(queues);
  if (filters.queue) queueOptions.add(filters.queue);
  return (
    <div className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-2">
      <label className="flex items-center gap-1.5">
        <span className="text-muted">Queue</span>
        <select aria-label="Queue" value={filters.queue ?? ""} title={filters.queue ?? "All queues"} onChange={(e) => onChange({ queue: e.target.value || undefined })} className={`max-w-56 ${SELECT}`}>
          <option value="">All queues</option>
          {[...queueOptions].sort().map((name) => (
            <option key={name} value={name} title={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1.5">
        <span className="text-muted">Reason</span>
        <select
          aria-label="Reason"
          value={filters.reason ?? ""}
          onChange={(e) => onChange({ reason: (e.target.value || undefined) as DeadLetterFilters["reason"] })}
          className={SELECT}
        >
          <option value="">Any reason</option>
          {DEAD_LETTER_REASONS.map((reason) => (
            <option key={reason} value={reason}>
              {reason}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1.5">
        <span className="text-muted">Replayed</span>
        <select
          aria-label="Replayed"
          value={filters.replayed ?? ""}
          onChange={(e) => onChange({ replayed: (e.target.value || undefined) as DeadLetterFilters["replayed"] })}
          className={SELECT}
        >
          <option value="">Either</option>
          <option value="no">Not yet (in DLQ)</option>
          <option value="yes">Replayed</option>
        </select>
      </label>
    </div>
  );
}

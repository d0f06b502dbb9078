"use client";
import { DEAD_LETTER_REASONS } from "../../services/contracts/dead-letter.ts";
import { LabeledSelect, nameOptions, type SelectOption } from "../components/labeled-select.tsx";
import type { DeadLetterFilters } from "./use-dead-letter-filters.ts";

const REASON_OPTIONS: SelectOption[] = [{ value: "", label: "Any reason" }, ...DEAD_LETTER_REASONS.map((reason) => ({ value: reason, label: reason }))];
const REPLAYED_OPTIONS: SelectOption[] = [
  { value: "", label: "Either" },
  { value: "no", label: "Not yet (in DLQ)" },
  { value: "yes", label: "Replayed" },
];

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
      <LabeledSelect
        label="Queue"
        value={filters.queue ?? ""}
        options={nameOptions("All queues", queueOptions)}
        onChange={(next) => onChange({ queue: next || undefined })}
        title={filters.queue ?? "All queues"}
        className="max-w-56"
      />
      <LabeledSelect
        label="Reason"
        value={filters.reason ?? ""}
        options={REASON_OPTIONS}
        onChange={(next) => onChange({ reason: (next || undefined) as DeadLetterFilters["reason"] })}
      />
      <LabeledSelect
        label="Replayed"
        value={filters.replayed ?? ""}
        options={REPLAYED_OPTIONS}
        onChange={(next) => onChange({ replayed: (next || undefined) as DeadLetterFilters["replayed"] })}
      />
    </div>
  );
}

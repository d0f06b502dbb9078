"use client";
import { useEffect, useState } from "react";
import { parseDuration } from "../../server/trace/search-query.ts";
import { LabeledSelect, type SelectOption } from "../components/labeled-select.tsx";
import { LIMIT_OPTIONS, SINCE_OPTIONS, localTimeToNs, nsToLocalTime, type Since, type TraceFilters } from "./use-trace-filters.ts";

type Patch = (patch: Partial<TraceFilters>) => void;

const CONTROL = "rounded-md border border-line-strong bg-bg px-2 py-1";
const SINCE_LABELS: Record<Since, string> = { "5m": "Last 5 minutes", "15m": "Last 15 minutes", "1h": "Last hour", "6h": "Last 6 hours", "24h": "Last 24 hours", "7d": "Last 7 days" };
const TIME_OPTIONS: SelectOption[] = [
  { value: "", label: "Any time" },
  ...SINCE_OPTIONS.map((s) => ({ value: s, label: SINCE_LABELS[s] })),
  { value: "custom", label: "Custom range…" },
];
const LIMIT_CHOICES: SelectOption[] = LIMIT_OPTIONS.map((n) => ({ value: n, label: String(n) }));

/** A duration bound (`250ms`, `2s`): sent when the field is left or Enter is pressed, if it parses. */
export function DurationInput({ label, value, onCommit }: { label: string; value?: string; onCommit: (value: string | undefined) => void }) {
  const [text, setText] = useState(value ?? "");
  useEffect(() => setText(value ?? ""), [value]);
  const isValid = text.trim() === "" || parseDuration(text) !== null;
  const commit = () => {
    if (isValid && text.trim() !== (value ?? "")) onCommit(text.trim() || undefined);
  };
  return (
    <label className="flex items-center gap-1.5">
      <span className="text-muted">{label}</span>
      <input
        aria-label={label}
        aria-invalid={!isValid}
        title={isValid ? "e.g. 250ms, 1.5s, 2m" : "a duration looks like 250ms, 1.5s or 2m"}
        placeholder="e.g. 100ms"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === "Enter" && commit()}
        className={`w-24 ${CONTROL} ${isValid ? "" : "border-danger text-danger"}`}
      />
    </label>
  );
}

/** Any time, the last 5 minutes .. 7 days, or a custom from/to range (local time). */
export function TimeRange({ filters, onChange }: { filters: TraceFilters; onChange: Patch }) {
  const [isCustom, setIsCustom] = useState(Boolean(filters.from || filters.to));
  useEffect(() => setIsCustom(Boolean(filters.from || filters.to)), [filters.from, filters.to]);
  const value = isCustom ? "custom" : (filters.since ?? "");
  return (
    <>
      <LabeledSelect
        label="Time"
        ariaLabel="Time range"
        value={value}
        options={TIME_OPTIONS}
        onChange={(next) => {
          setIsCustom(next === "custom");
          if (next !== "custom") onChange({ since: (next || undefined) as Since | undefined, from: undefined, to: undefined });
        }}
      />
      {isCustom && (
        <>
          <input
            type="datetime-local"
            aria-label="From"
            value={filters.from ? nsToLocalTime(filters.from) : ""}
            onChange={(e) => onChange({ since: undefined, from: localTimeToNs(e.target.value) })}
            className={CONTROL}
          />
          <span className="text-muted">to</span>
          <input
            type="datetime-local"
            aria-label="To"
            value={filters.to ? nsToLocalTime(filters.to) : ""}
            onChange={(e) => onChange({ since: undefined, to: localTimeToNs(e.target.value) })}
            className={CONTROL}
          />
        </>
      )}
    </>
  );
}

/** How many traces the list loads at a time. */
export function LimitSelect({ value, onChange }: { value?: number; onChange: Patch }) {
  return (
    <LabeledSelect
      label="Limit"
      value={value ?? 50}
      options={LIMIT_CHOICES}
      onChange={(next) => onChange({ limit: Number(next) === 50 ? undefined : Number(next) })}
    />
  );
}

"use client";
import { useState, type FormEvent } from "react";
import { CHAOS_FAULTS, type ChaosFault, type StartExperimentInput } from "../../services/contracts/resilience.ts";

const FAULT_HELP: Record<ChaosFault, string> = {
  error: "answers 503 UNAVAILABLE for this share of calls",
  latency: "adds a delay to this share of calls",
  down: "refuses connections (ECONNREFUSED) for every call",
  poison: "the consumer treats this share of messages as poison",
};

const FIELD = "rounded border border-line bg-bg px-1.5 py-1 text-fg";

/** The form that starts one experiment. `dependency` empty = the whole service (every caller). */
export function ExperimentForm({ services, isPending, onStart }: { services: string[]; isPending: boolean; onStart: (input: StartExperimentInput) => void }) {
  const [service, setService] = useState("payment");
  const [dependency, setDependency] = useState("");
  const [fault, setFault] = useState<ChaosFault>("error");
  const [ratePercent, setRatePercent] = useState(100);
  const [latencyMs, setLatencyMs] = useState(1500);
  const [queue, setQueue] = useState("");
  const [durationSec, setDurationSec] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onStart({
      service,
      dependency: fault === "poison" || !dependency ? null : dependency,
      fault,
      rate: ratePercent / 100,
      latencyMs: fault === "latency" ? latencyMs : 0,
      queue: fault === "poison" ? queue.trim() || null : null,
      durationSec: durationSec ? Number(durationSec) : null,
    });
  };

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3 rounded-md border border-line bg-subtle p-3" aria-label="Start an experiment">
      <label className="flex flex-col gap-1 text-muted">
        Service
        <select aria-label="Service" className={FIELD} value={service} onChange={(e) => setService(e.target.value)}>
          {services.map((s) => <option key={s}>{s}</option>)}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-muted">
        Calls to
        <select aria-label="Dependency" className={FIELD} value={dependency} onChange={(e) => setDependency(e.target.value)} disabled={fault === "poison"}>
          <option value="">— the service itself —</option>
          {services.filter((s) => s !== service).map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-muted">
        Fault
        <select aria-label="Fault" className={FIELD} value={fault} onChange={(e) => setFault(e.target.value as ChaosFault)}>
          {CHAOS_FAULTS.map((f) => <option key={f}>{f}</option>)}
        </select>
      </label>
      {fault !== "down" && (
        <label className="flex flex-col gap-1 text-muted">
          Rate %
          <input aria-label="Rate percent" className={`${FIELD} w-20`} type="number" min={0} max={100} value={ratePercent} onChange={(e) => setRatePercent(Number(e.target.value))} />
        </label>
      )}
      {fault === "latency" && (
        <label className="flex flex-col gap-1 text-muted">
          Latency ms
          <input aria-label="Latency ms" className={`${FIELD} w-24`} type="number" min={1} max={60000} value={latencyMs} onChange={(e) => setLatencyMs(Number(e.target.value))} />
        </label>
      )}
      {fault === "poison" && (
        <label className="flex flex-col gap-1 text-muted">
          Queue
          <input aria-label="Queue" className={`${FIELD} w-44`} placeholder="e.g. order-events.payment" value={queue} onChange={(e) => setQueue(e.target.value)} />
        </label>
      )}
      <label className="flex flex-col gap-1 text-muted">
        Ends after (s)
        <input aria-label="Duration seconds" className={`${FIELD} w-24`} type="number" min={1} placeholder="never" value={durationSec} onChange={(e) => setDurationSec(e.target.value)} />
      </label>
      <button type="submit" disabled={isPending} className="rounded-md bg-accent px-3 py-1.5 font-medium text-accent-fg disabled:opacity-50">
        {isPending ? "Starting…" : "Start experiment"}
      </button>
      <p className="basis-full text-muted">
        <span className="font-medium text-fg">{fault}</span>: {FAULT_HELP[fault]}
        {fault !== "poison" && (dependency ? `, on ${service}'s calls to ${dependency} only.` : `, for every caller of ${service}.`)}
      </p>
    </form>
  );
}

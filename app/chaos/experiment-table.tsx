import Link from "next/link";
import type { ChaosExperiment } from "../../services/contracts/resilience.ts";

const TH = "border-b border-line bg-subtle px-3 py-1.5 text-left font-medium text-muted";

function describeFault(e: ChaosExperiment): string {
  const rate = e.fault === "down" ? "" : ` ${Math.round(e.rate * 100)}%`;
  const extra = e.fault === "latency" ? ` +${e.latencyMs} ms` : e.fault === "poison" ? ` on ${e.queue}` : "";
  return `${e.fault}${rate}${extra}`;
}

const time = (iso: string) => new Date(iso).toLocaleTimeString();

/** Experiments as rows: target, fault, lifetime, their traces, and a stop button while active. */
export function ExperimentTable({ experiments, onStop, stopping, testId }: {
  experiments: ChaosExperiment[];
  onStop?: (id: string) => void;
  stopping?: string | null;
  testId: string;
}) {
  return (
    <table className="w-full max-w-5xl border-separate border-spacing-0 rounded-md border border-line" data-testid={testId}>
      <thead>
        <tr>
          <th className={TH}>Experiment</th>
          <th className={TH}>Target</th>
          <th className={TH}>Fault</th>
          <th className={TH}>Started</th>
          <th className={TH}>{onStop ? "Ends" : "Ended"}</th>
          <th className={TH}>Traces</th>
          {onStop && <th className={TH} />}
        </tr>
      </thead>
      <tbody className="[&_td]:border-b [&_td]:border-line [&_td]:px-3 [&_td]:py-1.5">
        {experiments.map((e) => (
          <tr key={e.id} className="hover:bg-hover">
            <td className="font-mono text-[12px]">{e.id}</td>
            <td>{e.dependency ? `${e.service} → ${e.dependency}` : e.service}</td>
            <td>{describeFault(e)}</td>
            <td className="text-muted tabular-nums">{time(e.startedAt)}</td>
            <td className="text-muted tabular-nums">{e.endedAt ? time(e.endedAt) : e.endsAt ? time(e.endsAt) : "when stopped"}</td>
            <td>
              <Link href={`/traces?experiment=${e.id}`} className="text-accent hover:underline">affected traces</Link>
            </td>
            {onStop && (
              <td className="text-right">
                <button type="button" onClick={() => onStop(e.id)} disabled={stopping === e.id} className="rounded border border-line px-2 py-0.5 hover:bg-hover disabled:opacity-50" aria-label={`Stop ${e.id}`}>
                  Stop
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

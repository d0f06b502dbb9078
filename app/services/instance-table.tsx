"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRef, type RefObject } from "react";
import type { InstanceHealth, InstanceRow, ServiceInstances } from "../../server/instances/types.ts";
import { ServiceChip } from "../components/service-chip.tsx";
import { errorMessageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

const HEALTH_STYLE: Record<InstanceHealth, string> = {
  up: "bg-ok-bg text-ok",
  down: "bg-danger-bg text-danger",
  stopping: "bg-warn-bg text-warn",
  stopped: "bg-subtle text-muted border border-line-strong",
  starting: "bg-warn-bg text-warn",
  unregistered: "bg-subtle text-muted border border-dashed border-line-strong",
};

function HealthBadge({ health }: { health: InstanceHealth }) {
  return <span data-testid="instance-health" className={`rounded px-1.5 py-px text-[11.5px] font-medium ${HEALTH_STYLE[health]}`}>{health}</span>;
}

function ago(iso: string | null, nowMs: number): string {
  if (!iso) return "–";
  const s = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

/**
 * Asks before stopping the last instance still serving its service: after that every call to the
 * service fails until it is started again. A modal <dialog> in the page, focus on Cancel.
 */
function ConfirmStop({ dialogRef, service, instanceId, onConfirm }: {
  dialogRef: RefObject<HTMLDialogElement | null>; service: string; instanceId: string; onConfirm: () => void;
}) {
  return (
    <dialog ref={dialogRef} data-testid="confirm-stop" aria-labelledby={`confirm-stop-${instanceId}`}
      className="m-auto max-w-md rounded-lg border border-line bg-bg p-4 text-left text-fg shadow-lg backdrop:bg-black/40">
      <h2 id={`confirm-stop-${instanceId}`} className="mb-2 text-[15px] font-semibold">Stop the last instance of {service}?</h2>
      <p className="mb-4 text-muted">
        {instanceId} is the only instance of {service} that is up. Until one is started again, every call to {service} fails.
      </p>
      <form method="dialog" className="flex justify-end gap-2">
        <button type="submit" autoFocus className="rounded border border-line-strong px-3 py-1 hover:bg-hover">Cancel</button>
        <button type="button" onClick={() => { dialogRef.current?.close(); onConfirm(); }}
          className="rounded border border-danger/50 bg-danger-bg px-3 py-1 font-medium text-danger hover:opacity-90">Stop {instanceId}</button>
      </form>
    </dialog>
  );
}

function ControlButton({ row, service, isLastUp }: { row: InstanceRow; service: string; isLastUp: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const control = useMutation(trpc.services.control.mutationOptions({
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.services.instances.queryKey() }),
  }));
  if (!row.isControllable) return <span className="text-muted" title="Not started by the launcher">–</span>;
  if (row.health === "stopping") return <span className="text-[12px] text-muted">Stopping…</span>;
  const action = row.health === "stopped" ? "start" : "stop";
  const run = () => control.mutate({ action, instanceId: row.instanceId });
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" disabled={control.isPending}
        onClick={() => (action === "stop" && isLastUp ? dialog.current?.showModal() : run())}
        className={`rounded border px-2 py-0.5 text-[12px] disabled:opacity-50 ${action === "stop" ? "border-danger/50 text-danger hover:bg-danger-bg" : "border-line-strong hover:bg-hover"}`}>
        {control.isPending ? "…" : action === "stop" ? "Stop" : "Start"}
      </button>
      {control.isError && <span className="text-[11.5px] text-danger">{errorMessageOf(control.error)}</span>}
      {action === "stop" && isLastUp && <ConfirmStop dialogRef={dialog} service={service} instanceId={row.instanceId} onConfirm={run} />}
    </span>
  );
}

/** Fixed widths so the columns line up from one service's table to the next. */
const COLUMNS: [string, string][] = [["Instance", "w-[18%]"], ["Health", "w-[10%]"], ["Last heartbeat", "w-[12%]"], ["Version", "w-[9%]"],
  ["Address", "w-[14%]"], ["Requests", "w-[9%]"], ["Errors", "w-[8%]"], ["Avg", "w-[9%]"], ["", "w-[11%]"]];

/** One service: a row per instance. */
export function InstanceTable({ group, nowMs }: { group: ServiceInstances; nowMs: number }) {
  const upCount = group.instances.filter((r) => r.health === "up").length;
  return (
    <section data-testid="service-group" data-service={group.service} className="rounded-md border border-line">
      <header className="flex items-center gap-3 border-b border-line bg-subtle px-3 py-1.5">
        <ServiceChip name={group.service} />
        <span className="text-muted">{group.instances.length} instance{group.instances.length === 1 ? "" : "s"}</span>
        <Link href={`/traces?service=${encodeURIComponent(group.service)}`} className="ml-auto text-accent hover:underline">Traces →</Link>
      </header>
      <table className="w-full table-fixed text-left">
        <thead className="text-[11px] uppercase tracking-wide text-muted">
          <tr>{COLUMNS.map(([c, w]) => <th key={c} className={`px-3 py-1 font-medium ${w}`}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {group.instances.map((row) => (
            <tr key={row.instanceId} data-testid="instance-row" data-instance={row.instanceId} className="border-t border-line">
              <td className="truncate px-3 py-1.5 font-mono text-[12px]" title={row.instanceId}>{row.instanceId}</td>
              <td className="px-3 py-1.5"><HealthBadge health={row.health} /></td>
              <td className="px-3 py-1.5 text-muted" title={row.lastHeartbeatAt ?? undefined}>{ago(row.lastHeartbeatAt, nowMs)}</td>
              <td className="px-3 py-1.5 font-mono text-[12px]">{row.version ?? "–"}</td>
              <td className="px-3 py-1.5 font-mono text-[12px] text-muted">{row.address ?? "–"}</td>
              <td className="px-3 py-1.5 font-mono tabular-nums" data-testid="instance-requests">{row.requests}</td>
              <td className={`px-3 py-1.5 font-mono tabular-nums ${row.errors > 0 ? "text-danger" : "text-muted"}`}>{row.errors}</td>
              <td className="px-3 py-1.5 font-mono tabular-nums text-muted">{row.requests > 0 ? `${row.avgMs.toFixed(1)} ms` : "–"}</td>
              <td className="px-3 py-1.5 text-right"><ControlButton row={row} service={group.service} isLastUp={row.health === "up" && upCount === 1} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

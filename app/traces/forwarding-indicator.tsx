"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../lib/trpc.ts";

const POLL_MS = 5_000;
const count = (n: number) => n.toLocaleString("en-US");

/**
 * One line in the traces list's header when the collector forwards spans to another backend
 * (SWITCHYARD_FORWARD_OTLP_URL): where to, how many went, and what was dropped or refused.
 * Nothing when forwarding is off or the collector does not answer (the list says the rest).
 */
export function ForwardingIndicator() {
  const trpc = useTRPC();
  const query = useQuery(trpc.collector.forwarding.queryOptions(undefined, { refetchInterval: POLL_MS }));
  const status = query.data?.forwarding;
  if (!status?.enabled) return null;
  const isTroubled = status.droppedSpans > 0 || status.failedSpans > 0 || status.state === "retrying";
  const title = [
    `The collector sends every stored span on to ${status.url} (SWITCHYARD_FORWARD_OTLP_URL).`,
    `${count(status.bufferedSpans)} waiting; dropped: the buffer was full (oldest first) or the collector stopped; failed: refused by the remote.`,
    status.lastError ? `Last error (${status.lastErrorAt}): ${status.lastError}` : "",
  ].filter(Boolean).join("\n");
  return (
    <span className={`text-[12px] ${isTroubled ? "text-warn" : "text-muted"}`} title={title} data-testid="forwarding-status">
      → {status.url.replace(/^https?:\/\//, "")}: {count(status.forwardedSpans)} forwarded
      {status.state === "retrying" ? ` · retrying (${count(status.bufferedSpans)} waiting)` : ""}
      {status.droppedSpans > 0 ? ` · ${count(status.droppedSpans)} dropped` : ""}
      {status.failedSpans > 0 ? ` · ${count(status.failedSpans)} failed` : ""}
    </span>
  );
}

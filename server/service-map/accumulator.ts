/**
 * In-memory sums of edge samples and instance requests per minute, drained into the bucket tables
 * by the aggregator's periodic flush (a handful of rows a second instead of one per span).
 */
import type { StoredSpan } from "../store/types.ts";
import { emptyHistogram, latencyBucket } from "./latency.ts";
import { bucketOf } from "./span-edges.ts";
import type { EdgeRow, EdgeSample } from "./types.ts";
import { Attr } from "../../services/contracts/semconv.ts";

/** One telemetry.edge_minutes row to upsert. */
export type EdgeMinuteRow = EdgeRow & { bucketMs: number };

/** One telemetry.instance_minutes row to upsert. */
export type InstanceMinuteRow = {
  bucketMs: number;
  service: string;
  instanceId: string;
  requests: number;
  errors: number;
  durationSumUs: number;
};

/** Sums edge samples by (minute, from, to, type). */
export class EdgeAccumulator {
  private rows = new Map<string, EdgeMinuteRow>();

  add(sample: EdgeSample): void {
    const key = `${sample.bucketMs}|${sample.from}|${sample.to}|${sample.type}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { bucketMs: sample.bucketMs, from: sample.from, to: sample.to, type: sample.type, calls: 0, errors: 0,
        durationSumUs: 0, durationMaxUs: 0, latencyHist: emptyHistogram() };
      this.rows.set(key, row);
    }
    const us = Math.round(sample.durationUs);
    row.calls++;
    if (sample.isError) row.errors++;
    row.durationSumUs += us;
    if (us > row.durationMaxUs) row.durationMaxUs = us;
    row.latencyHist[latencyBucket(us)]!++;
  }

  get size(): number {
    return this.rows.size;
  }

  /** Adds whole rows (a failed flush puts its rows back this way). */
  merge(rows: readonly EdgeMinuteRow[]): void {
    for (const r of rows) {
      const key = `${r.bucketMs}|${r.from}|${r.to}|${r.type}`;
      const row = this.rows.get(key);
      if (!row) {
        this.rows.set(key, { ...r, latencyHist: [...r.latencyHist] });
        continue;
      }
      row.calls += r.calls;
      row.errors += r.errors;
      row.durationSumUs += r.durationSumUs;
      row.durationMaxUs = Math.max(row.durationMaxUs, r.durationMaxUs);
      r.latencyHist.forEach((n, i) => (row.latencyHist[i] = (row.latencyHist[i] ?? 0) + n));
    }
  }

  /** Returns the sums so far and starts over. */
  drain(): EdgeMinuteRow[] {
    const rows = [...this.rows.values()];
    this.rows.clear();
    return rows;
  }
}

/** True for spans that serve a request or process a message: what "requests served" counts. */
export const isServedRequest = (span: StoredSpan) => span.kind === "SERVER" || span.kind === "CONSUMER";

/** Sums served requests by (minute, service, service.instance.id). */
export class InstanceAccumulator {
  private rows = new Map<string, InstanceMinuteRow>();

  add(span: StoredSpan): void {
    if (!isServedRequest(span)) return;
    const raw = span.resource[Attr.SERVICE_INSTANCE_ID];
    const instanceId = typeof raw === "string" ? raw : "";
    const bucketMs = bucketOf(span);
    const key = `${bucketMs}|${span.serviceName}|${instanceId}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { bucketMs, service: span.serviceName, instanceId, requests: 0, errors: 0, durationSumUs: 0 };
      this.rows.set(key, row);
    }
    row.requests++;
    if (span.status.code === "ERROR") row.errors++;
    row.durationSumUs += Math.round(Number(span.durationNs) / 1000);
  }

  /** Adds whole rows (a failed flush puts its rows back this way). */
  merge(rows: readonly InstanceMinuteRow[]): void {
    for (const r of rows) {
      const key = `${r.bucketMs}|${r.service}|${r.instanceId}`;
      const row = this.rows.get(key);
      if (!row) this.rows.set(key, { ...r });
      else Object.assign(row, { requests: row.requests + r.requests, errors: row.errors + r.errors, durationSumUs: row.durationSumUs + r.durationSumUs });
    }
  }

  drain(): InstanceMinuteRow[] {
    const rows = [...this.rows.values()];
    this.rows.clear();
    return rows;
  }
}


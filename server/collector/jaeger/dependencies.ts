/**
 * Service-map aggregates (telemetry.edge_minutes, see server/service-map/) as Jaeger's dependency
 * links (`{ parent, child, callCount }`, what `GET /api/dependencies` answers and Jaeger UI's
 * System Architecture and Grafana's node graph draw). Pure.
 *
 * Node ids lose their kind prefix: `service:order` is `order`, `peer:db:5432` is `db:5432`, and a
 * queue is a node of its own (`order-events`), as on Switchyard's map: `order -> order-events ->
 * payment` says more than a direct `order -> payment` would, and the aggregates do not pair a
 * producer with its consumers. Edges of every type between the same two nodes are summed, as
 * jaeger-query deduplicates links.
 */
import { parseNodeId, type EdgeRow } from "../../service-map/types.ts";

/** Jaeger's `DependencyLink` (internal/uimodel/model.go). */
export type JaegerDependencyLink = { parent: string; child: string; callCount: number };

/** Summed links, sorted by parent then child; `service` keeps only links it is an end of. */
export function toDependencyLinks(rows: readonly EdgeRow[], service?: string): JaegerDependencyLink[] {
  const links = new Map<string, JaegerDependencyLink>();
  for (const row of rows) {
    const parent = parseNodeId(row.from).name;
    const child = parseNodeId(row.to).name;
    if (service && parent !== service && child !== service) continue;
    const key = JSON.stringify([parent, child]);
    const link = links.get(key);
    if (link) link.callCount += row.calls;
    else links.set(key, { parent, child, callCount: row.calls });
  }
  return [...links.values()].sort((a, b) => a.parent.localeCompare(b.parent) || a.child.localeCompare(b.child));
}

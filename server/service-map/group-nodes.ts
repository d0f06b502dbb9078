/**
 * Pure: what the map leaves out and draws together before summing edge rows.
 * - The dashboard's own traffic (its reads through the gateway, its queue actions) is hidden
 *   unless asked for: it is the observer, not part of the shop.
 * - Queues of one topic (`order-events.notification`, `order-events.analytics`, ...) are drawn
 *   as the topic's node (`order-events`) unless that topic is expanded. A queue belongs to a topic
 *   when its name is `<topic>.<rest>` and the topic itself is a queue on the map, or at least two
 *   queues share that prefix.
 * Grouping renames the rows' endpoints before they are summed, so the grouped edges keep exact
 * percentiles (their histograms add up).
 */
import { parseNodeId, queueNode, serviceNode, type EdgeRow } from "./types.ts";

/** service.name of the dashboard's own spans (server/dlq/replayer.ts uses the same). */
export const OWN_SERVICE = "dashboard";
const OWN_NODE = serviceNode(OWN_SERVICE);

export type GroupOptions = {
  /** Keep the dashboard's own edges. */
  showOwn?: boolean;
  /** Node ids of topics drawn as their separate queues. */
  expand?: readonly string[];
};

export type GroupedRows = {
  rows: EdgeRow[];
  /** Grouped node id -> the queue names it stands for. */
  members: Map<string, string[]>;
  /** Distinct (from, to, type) left out as the dashboard's own traffic. */
  hiddenOwnEdges: number;
};

/** Queue name -> the topic it is grouped under, for the queues that have one. */
export function topicOfQueues(queueNames: Iterable<string>): Map<string, string> {
  const names = new Set(queueNames);
  const byPrefix = new Map<string, string[]>();
  for (const name of names) {
    const dot = name.indexOf(".");
    if (dot <= 0 || dot === name.length - 1) continue;
    const prefix = name.slice(0, dot);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), name]);
  }
  const topicOf = new Map<string, string>();
  for (const [prefix, queues] of byPrefix) {
    if (!names.has(prefix) && queues.length < 2) continue;
    for (const q of queues) topicOf.set(q, prefix);
  }
  return topicOf;
}

const edgeKey = (r: EdgeRow) => `${r.from}\u0000${r.to}\u0000${r.type}`;

/** Drops the dashboard's own rows (unless shown) and renames grouped queues to their topic. */
export function groupRows(rows: readonly EdgeRow[], opts: GroupOptions = {}): GroupedRows {
  const own = new Set<string>();
  const kept = rows.filter((r) => {
    const isOwn = r.from === OWN_NODE || r.to === OWN_NODE;
    if (isOwn && !opts.showOwn) own.add(edgeKey(r));
    return !isOwn || opts.showOwn;
  });
  const queues = new Set<string>();
  for (const r of kept) {
    for (const id of [r.from, r.to]) {
      const { kind, name } = parseNodeId(id);
      if (kind === "queue") queues.add(name);
    }
  }
  const expanded = new Set(opts.expand ?? []);
  const topicOf = topicOfQueues(queues);
  const members = new Map<string, Set<string>>();
  const rename = (id: string): string => {
    const { kind, name } = parseNodeId(id);
    const topic = kind === "queue" ? topicOf.get(name) : undefined;
    if (topic === undefined || expanded.has(queueNode(topic))) return id;
    const group = queueNode(topic);
    const set = members.get(group) ?? new Set(queues.has(topic) ? [topic] : []);
    set.add(name);
    members.set(group, set);
    return group;
  };
  const renamed = kept.map((r) => ({ ...r, from: rename(r.from), to: rename(r.to) }));
  const sortedMembers = new Map([...members].map(([id, set]) => [id, [...set].sort()]));
  return { rows: renamed, members: sortedMembers, hiddenOwnEdges: own.size };
}

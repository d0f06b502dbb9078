import type { Flow } from "../../server/flow/types.ts";

/**
 * The flow without its external lanes (databases, caches, untraced peers) and the steps to or
 * from them: service-to-service traffic only. Step and lane order are kept; stats are unchanged
 * (they never counted external calls as hops).
 */
export function withoutExternalLanes(flow: Flow): Flow {
  const kept = flow.lanes.map((lane, i) => ({ lane, i })).filter(({ lane }) => lane.kind === "service");
  const newIndex = new Map(kept.map(({ i }, j) => [i, j]));
  const isExternal = (i: number | null) => i !== null && !newIndex.has(i);
  const steps = flow.steps
    .filter((s) => !isExternal(s.from) && !isExternal(s.to))
    .map((s) => ({ ...s, from: s.from === null ? null : newIndex.get(s.from)!, to: s.to === null ? null : newIndex.get(s.to)! }));
  return { ...flow, lanes: kept.map(({ lane }) => lane), steps };
}

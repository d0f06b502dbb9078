import { describe, expect, it } from "vitest";
import { buildFlow } from "../../server/flow/build-flow.ts";
import foreignJson from "../../server/flow/fixtures/foreign.json" with { type: "json" };
import type { StoredSpan } from "../../server/store/types.ts";
import { withoutExternalLanes } from "./flow-filter.ts";

describe("withoutExternalLanes", () => {
  it("drops database and peer lanes and their steps, re-indexing the service lanes", () => {
    const spans = foreignJson as unknown as StoredSpan[];
    const flow = withoutExternalLanes(buildFlow(spans[0]!.traceId, spans));
    const lane = (i: number | null) => (i === null ? "·" : flow.lanes[i]!.name);
    const line = { call: "->", return: "<-", message: "~>" } as const;
    expect(flow.lanes.map((l) => l.name)).toEqual(["frontend", "checkout", "accounting"]);
    expect(flow.steps.map((s) => `${lane(s.from)} ${line[s.kind]} ${lane(s.to)} ${s.label} x${s.count}${s.isError ? " !" : ""}`)).toEqual([
      "· -> frontend POST /api/checkout x1",
      "frontend -> checkout POST /checkout x1",
      "checkout ~> accounting orders x1",
      "checkout <- frontend POST /checkout x1",
    ]);
  });
});

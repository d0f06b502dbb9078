import { describe, expect, it } from "vitest";
import { buildServiceInstances } from "./build-rows.ts";
import { pageServices } from "./page-services.ts";

/** 1,000 services seen only in spans (as 1,000 OTLP senders would appear), one with two instances. */
const groups = buildServiceInstances({
  registry: [],
  launcher: [],
  requests: [
    ...Array.from({ length: 1_000 }, (_, i) => ({ service: `svc-${String(i).padStart(4, "0")}`, instanceId: `svc-${i}-a`, requests: i, errors: 0, avgMs: 1, lastBucketMs: 0 })),
    { service: "svc-0042", instanceId: "Box-Special-b", requests: 1, errors: 0, avgMs: 1, lastBucketMs: 0 },
  ],
});

describe("pageServices", () => {
  it("slices 1,000 services into pages of 25, in name order", () => {
    const first = pageServices(groups, {});
    expect(first).toMatchObject({ page: 1, pages: 40, pageSize: 25, total: 1_000, all: 1_000 });
    expect(first.services.map((s) => s.service)).toEqual(Array.from({ length: 25 }, (_, i) => `svc-${String(i).padStart(4, "0")}`));
    const last = pageServices(groups, { page: 40 });
    expect(last.services.at(-1)!.service).toBe("svc-0999");
  });

  it("keeps a service's instances together on one page", () => {
    const page2 = pageServices(groups, { page: 2 });
    expect(page2.services.find((s) => s.service === "svc-0042")!.instances.map((r) => r.instanceId)).toEqual(["Box-Special-b", "svc-42-a"]);
  });

  it("filters by service name or instance id, case-insensitive, and pages the matches", () => {
    const named = pageServices(groups, { search: " SVC-09 ", pageSize: 40 });
    expect(named).toMatchObject({ total: 100, all: 1_000, pages: 3 });
    expect(named.services[0]!.service).toBe("svc-0900");
    expect(pageServices(groups, { search: "box-special" }).services.map((s) => s.service)).toEqual(["svc-0042"]);
    expect(pageServices(groups, { search: "nothing-like-it" })).toMatchObject({ services: [], total: 0, page: 1, pages: 1 });
  });

  it("shows the last page when asked for one past the end", () => {
    expect(pageServices(groups, { search: "svc-09", page: 99 })).toMatchObject({ page: 4, pages: 4 });
  });
});

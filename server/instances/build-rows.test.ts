import { describe, expect, it } from "vitest";
import type { InstanceStatus, LauncherInstance } from "../../services/contracts/discovery.ts";
import { buildServiceInstances, healthOf } from "./build-rows.ts";

const reg = (instanceId: string, alive: boolean): InstanceStatus => ({
  service: "inventory", instanceId, host: "127.0.0.1", port: 4102, version: "0.1.0", pid: 42,
  startedAt: "2026-11-22T08:00:00.000Z", lastHeartbeatAt: "2026-11-22T08:10:00.000Z", alive,
});
const launched = (instanceId: string, state: LauncherInstance["state"]): LauncherInstance => ({ service: "inventory", instanceId, port: 4102, state });

describe("buildServiceInstances", () => {
  it("joins registry, launcher and requests served per instance", () => {
    const services = buildServiceInstances({
      registry: [reg("inventory-1", true), reg("inventory-2", false)],
      launcher: [launched("inventory-1", "running"), launched("inventory-2", "running"), launched("inventory-3", "stopped"), launched("inventory-4", "running"),
        { service: "dashboard", instanceId: "dashboard-1", port: 3000, state: "running" }],
      requests: [
        { service: "inventory", instanceId: "inventory-1", requests: 120, errors: 2, avgMs: 3.456, lastBucketMs: 0 },
        { service: "inventory", instanceId: "inventory-2", requests: 80, errors: 0, avgMs: 4, lastBucketMs: 0 },
        { service: "frontend", instanceId: "", requests: 5, errors: 0, avgMs: 1, lastBucketMs: 0 },
      ],
    });
    expect(services.map((s) => s.service)).toEqual(["frontend", "inventory"]);
    const inv = services[1]!.instances;
    expect(inv.map((r) => [r.instanceId, r.health, r.requests, r.isControllable])).toEqual([
      ["inventory-1", "up", 120, true],
      ["inventory-2", "down", 80, true],
      ["inventory-3", "stopped", 0, true],
      ["inventory-4", "starting", 0, true],
    ]);
    expect(inv[0]).toMatchObject({ version: "0.1.0", address: "127.0.0.1:4102", errors: 2, avgMs: 3.46 });
    expect(services[0]!.instances[0]).toMatchObject({ instanceId: "(no instance id)", health: "unregistered", isControllable: false });
  });

  it("says stopping (not starting) for an instance a stop was asked for that the launcher still runs", () => {
    // inventory-2 deregistered on SIGTERM but has not exited; inventory-3 was asked to stop and has.
    const services = buildServiceInstances({
      registry: [reg("inventory-1", true)],
      launcher: [launched("inventory-1", "running"), launched("inventory-2", "running"), launched("inventory-3", "stopped"), launched("inventory-4", "running")],
      requests: [],
      stopRequests: ["inventory-2", "inventory-3"],
    });
    expect(services[0]!.instances.map((r) => [r.instanceId, r.health])).toEqual([
      ["inventory-1", "up"],
      ["inventory-2", "stopping"],
      ["inventory-3", "stopped"],
      ["inventory-4", "starting"],
    ]);
  });
});

describe("healthOf", () => {
  it("maps every combination of registry, launcher and stop request", () => {
    const up = reg("inventory-1", true);
    const late = reg("inventory-1", false);
    const running = launched("inventory-1", "running");
    const stopped = launched("inventory-1", "stopped");
    expect(healthOf(up, running)).toBe("up");
    expect(healthOf(late, running)).toBe("down");
    expect(healthOf(undefined, running)).toBe("starting");
    expect(healthOf(undefined, undefined)).toBe("unregistered");
    expect(healthOf(up, stopped)).toBe("stopped");
    // Asked to stop: still registered (draining) or already deregistered, until the launcher says stopped.
    expect(healthOf(up, running, true)).toBe("stopping");
    expect(healthOf(undefined, running, true)).toBe("stopping");
    expect(healthOf(undefined, stopped, true)).toBe("stopped");
    // A stop request for a process the launcher does not run changes nothing.
    expect(healthOf(up, undefined, true)).toBe("up");
  });
});

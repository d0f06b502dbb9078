/**
 * Pure: the services page's rows from three sources — the discovery registry (health, version,
 * heartbeat), the launcher's instance list (stopped/starting, and whether it can be controlled)
 * and the requests served per instance (telemetry.instance_minutes, from spans), plus the stops
 * asked for from the page that the launcher has not finished yet.
 */
import type { InstanceStatus, LauncherInstance } from "../../services/contracts/discovery.ts";
import { SERVICE_NAMES } from "../../services/contracts/services.ts";
import type { InstanceRequests } from "../service-map/store.ts";
import type { InstanceHealth, InstanceRow, ServiceInstances } from "./types.ts";

type Sources = {
  registry: InstanceStatus[];
  launcher: LauncherInstance[];
  requests: InstanceRequests[];
  /** Instance ids a stop was recently asked for (see InstanceDirectory.listStopRequests). */
  stopRequests?: readonly string[];
};

/** The launcher also runs the collector and the dashboard: not services, and not to be stopped from here. */
const isServiceProcess = (l: LauncherInstance) => (SERVICE_NAMES as readonly string[]).includes(l.service);

/**
 * One instance's health. A stopping instance deregisters before it exits, so between the two the
 * registry no longer knows it while the launcher still runs it: without the stop request that
 * reads exactly like an instance starting up.
 */
export function healthOf(reg: InstanceStatus | undefined, launched: LauncherInstance | undefined, isStopRequested = false): InstanceHealth {
  if (launched?.state === "stopped") return "stopped";
  if (launched && isStopRequested) return "stopping";
  if (reg) return reg.alive ? "up" : "down";
  return launched ? "starting" : "unregistered";
}

function emptyRow(instanceId: string): InstanceRow {
  return { instanceId, health: "unregistered", version: null, address: null, pid: null, startedAt: null,
    lastHeartbeatAt: null, requests: 0, errors: 0, avgMs: 0, isControllable: false };
}

/** Instances grouped by service, services and instances sorted by name. */
export function buildServiceInstances({ registry, launcher, requests, stopRequests = [] }: Sources): ServiceInstances[] {
  const stopping = new Set(stopRequests);
  const rows = new Map<string, Map<string, InstanceRow>>();
  const row = (service: string, instanceId: string) => {
    let byId = rows.get(service);
    if (!byId) rows.set(service, (byId = new Map()));
    let r = byId.get(instanceId);
    if (!r) byId.set(instanceId, (r = emptyRow(instanceId)));
    return r;
  };
  const regById = new Map(registry.map((s) => [`${s.service}/${s.instanceId}`, s]));
  const launchById = new Map(launcher.filter(isServiceProcess).map((l) => [`${l.service}/${l.instanceId}`, l]));
  for (const key of new Set([...regById.keys(), ...launchById.keys()])) {
    const reg = regById.get(key);
    const launched = launchById.get(key);
    const service = reg?.service ?? launched!.service;
    const r = row(service, reg?.instanceId ?? launched!.instanceId);
    Object.assign(r, {
      health: healthOf(reg, launched, stopping.has(reg?.instanceId ?? launched!.instanceId)),
      version: reg?.version ?? null,
      address: reg ? `${reg.host}:${reg.port}` : launched ? `127.0.0.1:${launched.port}` : null,
      pid: reg?.pid ?? null,
      startedAt: reg?.startedAt ?? null,
      lastHeartbeatAt: reg?.lastHeartbeatAt ?? null,
      isControllable: launched !== undefined,
    });
  }
  for (const q of requests) {
    // Spans of instances the registry never knew still count (foreign SDKs, discovery off).
    Object.assign(row(q.service, q.instanceId || "(no instance id)"), { requests: q.requests, errors: q.errors, avgMs: Math.round(q.avgMs * 100) / 100 });
  }
  return [...rows].sort(([a], [b]) => a.localeCompare(b)).map(([service, byId]) => ({
    service,
    instances: [...byId.values()].sort((a, b) => a.instanceId.localeCompare(b.instanceId)),
  }));
}

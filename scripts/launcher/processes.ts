import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { processUrl, type ProcessName, type SystemConfig } from "./config.ts";
import { NEXT_ENV } from "./dashboard-build.ts";

/** The repository root (this file is scripts/launcher/processes.ts). */
export const ROOT_DIR = path.resolve(import.meta.dirname, "../..");

/** How to run and probe one child process. */
export type ProcessSpec = {
  name: ProcessName;
  /** Output prefix when it differs from the name (`inventory-2` for a second instance). */
  label?: string;
  command: string;
  args: string[];
  /** Polled until it answers 2xx/3xx (4xx too for the dashboard page, see below). */
  healthUrl: string;
};

/** `--import` of the guard that ends a child once its launcher is gone (see orphan-guard.mjs). */
const ORPHAN_GUARD = ["--import", pathToFileURL(path.join(ROOT_DIR, "scripts/launcher/orphan-guard.mjs")).href];

/** `node --import tsx <entry>`: the TypeScript entry of a backend process. */
function tsEntry(entry: string): Pick<ProcessSpec, "command" | "args"> {
  return { command: process.execPath, args: [...ORPHAN_GUARD, "--import", "tsx", path.join(ROOT_DIR, entry)] };
}

/** `next start` (the production build) or `next dev`; by default `start` when a build exists. */
function dashboardCommand(port: number, requested: SystemConfig["dashboardMode"]): Pick<ProcessSpec, "command" | "args"> {
  const nextBin = path.join(ROOT_DIR, "node_modules/next/dist/bin/next");
  const mode = requested ?? (existsSync(path.join(ROOT_DIR, ".next/BUILD_ID")) ? "start" : "dev");
  return { command: process.execPath, args: [...ORPHAN_GUARD, nextBin, mode, "-p", String(port), "-H", "127.0.0.1"] };
}

/** The one table of processes: add a service here and the launcher starts, probes and stops it. */
export function processTable(config: SystemConfig): Record<ProcessName, ProcessSpec> {
  const health = (name: ProcessName, p = "/health") => `${processUrl(config, name)}${p}`;
  return {
    collector: { name: "collector", ...tsEntry("server/collector/main.ts"), healthUrl: health("collector") },
    inventory: { name: "inventory", ...tsEntry("services/inventory/main.ts"), healthUrl: health("inventory") },
    payment: { name: "payment", ...tsEntry("services/payment/main.ts"), healthUrl: health("payment") },
    shipping: { name: "shipping", ...tsEntry("services/shipping/main.ts"), healthUrl: health("shipping") },
    order: { name: "order", ...tsEntry("services/order/main.ts"), healthUrl: health("order") },
    notification: { name: "notification", ...tsEntry("services/notification/main.ts"), healthUrl: health("notification") },
    analytics: { name: "analytics", ...tsEntry("services/analytics/main.ts"), healthUrl: health("analytics") },
    gateway: { name: "gateway", ...tsEntry("services/gateway/main.ts"), healthUrl: health("gateway") },
    dashboard: { name: "dashboard", ...dashboardCommand(config.ports.dashboard, config.dashboardMode), healthUrl: health("dashboard", "/") },
  };
}

/** The environment every child gets on top of the launcher's own (PATH, Prisma engine, ...). */
export function childEnv(config: SystemConfig, name: ProcessName): Record<string, string> {
  return {
    PORT: String(config.ports[name]),
    DATABASE_URL: config.databaseUrl,
    REDIS_URL: config.redisUrl,
    REDIS_PREFIX: config.redisPrefix,
    OTLP_TRACES_URL: `${processUrl(config, "collector")}/v1/traces`,
    ORDER_URL: processUrl(config, "order"),
    INVENTORY_URL: processUrl(config, "inventory"),
    PAYMENT_URL: processUrl(config, "payment"),
    SHIPPING_URL: processUrl(config, "shipping"),
    ANALYTICS_URL: processUrl(config, "analytics"),
    COLLECTOR_URL: processUrl(config, "collector"),
    DASHBOARD_URL: processUrl(config, "dashboard"),
    GATEWAY_URL: processUrl(config, "gateway"),
    ...(name === "collector" && config.collectorGrpcPort !== undefined ? { GRPC_PORT: String(config.collectorGrpcPort) } : {}),
    ...(name === "collector" && config.collectorJaegerQueryPort !== undefined ? { SWITCHYARD_JAEGER_QUERY_PORT: String(config.collectorJaegerQueryPort) } : {}),
    ...NEXT_ENV,
  };
}

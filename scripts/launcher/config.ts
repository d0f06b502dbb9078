import { DEFAULT_PORTS } from "../../services/contracts/index.ts";

/** Every process the launcher can run, in start order (collector first so no span is lost). */
export const PROCESS_NAMES = [
  "collector",
  "inventory",
  "payment",
  "shipping",
  "order",
  "notification",
  "analytics",
  "gateway",
  "dashboard",
] as const;
export type ProcessName = (typeof PROCESS_NAMES)[number];

/**
 * Start-up stages: each waits for the previous one to be healthy. The collector comes first so no
 * span is lost; the services do not need each other to boot, so they start together.
 */
export const STARTUP_STAGES: readonly (readonly ProcessName[])[] = [
  ["collector"],
  ["inventory", "payment", "shipping", "order", "notification", "analytics"],
  ["gateway"],
  ["dashboard"],
];

/** Everything that differs between the demo (`npm start`) and the test system. */
export type SystemConfig = {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  ports: Record<ProcessName, number>;
  /** The collector's OTLP/gRPC port (its GRPC_PORT); unset: the collector's port - 1. */
  collectorGrpcPort?: number;
  /** The collector's Jaeger query API port (its SWITCHYARD_JAEGER_QUERY_PORT); unset: the collector's port + 12368. */
  collectorJaegerQueryPort?: number;
  /** How many instances of a process to run (default 1); see `instancesOf`. */
  instances?: Partial<Record<ProcessName, number>>;
  /**
   * `start`: serve the production build (`npm start` makes it current first, see
   * dashboard-build.ts); `dev`: `next dev` (`npm run dev`). Default: `start` when a build exists.
   */
  dashboardMode?: "start" | "dev";
};

/** What `npm start` runs: the defaults of docs/architecture.md. */
export const DEV_CONFIG: SystemConfig = {
  databaseUrl: "postgresql://postgres@127.0.0.1:5432/switchyard",
  redisUrl: "redis://127.0.0.1:6379",
  redisPrefix: "sy",
  ports: { ...DEFAULT_PORTS },
  collectorGrpcPort: 4317, // OTLP/gRPC's well-known port, as 4318 is OTLP/HTTP's
  collectorJaegerQueryPort: 16686, // Jaeger query's port: Grafana's Jaeger data source and Jaeger UI expect it
  // Two inventory instances so discovery has something to balance and fail over between.
  instances: { inventory: 2 },
};

/** The URL a process listens on. Everything binds to 127.0.0.1. */
export function processUrl(config: SystemConfig, name: ProcessName): string {
  return `http://127.0.0.1:${config.ports[name]}`;
}

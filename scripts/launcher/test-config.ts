import { z } from "zod";
import type { SystemConfig } from "./config.ts";

/**
 * Which copy of the test system this run uses. Slot 0 (the default, and CI) is
 * `switchyard_test` / `sytest` / ports 3100, 4418 (4417 OTLP/gRPC), 42xx. Slot N > 0 shifts every port by N * 100
 * and suffixes the database and Redis prefix with N, so several developers' (or agents')
 * suites can run side by side on one machine without sharing state.
 */
const TEST_SLOT = z.coerce.number().int().min(0).max(9).default(0).parse(process.env.SWITCHYARD_TEST_SLOT || undefined);

const suffix = TEST_SLOT === 0 ? "" : String(TEST_SLOT);
const shift = TEST_SLOT * 100;

/**
 * The integration/e2e system: its own database and Redis prefix so tests never touch demo data,
 * and its own ports so they can run while `npm start` is up.
 */
export const TEST_CONFIG = {
  databaseUrl: `postgresql://postgres@127.0.0.1:5432/switchyard_test${suffix}`,
  redisUrl: "redis://127.0.0.1:6379",
  redisPrefix: `sytest${suffix}`,
  ports: {
    dashboard: 3100 + shift,
    collector: 4418 + shift,
    order: 4201 + shift,
    inventory: 4202 + shift,
    notification: 4203 + shift,
    payment: 4204 + shift,
    shipping: 4205 + shift,
    analytics: 4206 + shift,
    gateway: 4200 + shift,
  },
  collectorGrpcPort: 4417 + shift,
  collectorJaegerQueryPort: 16786 + shift,
  instances: { inventory: 2 },
} as const satisfies SystemConfig;

/** The processes Switchyard runs; each name is also its OpenTelemetry `service.name`. */
export const SERVICE_NAMES = ["order", "inventory", "payment", "shipping", "notification", "analytics", "gateway"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Default local ports. Each process can override its own through its env. */
export const DEFAULT_PORTS = {
  dashboard: 3000,
  collector: 4318,
  /** The API gateway: the only public entry point for orders. */
  gateway: 4100,
  order: 4101,
  inventory: 4102,
  notification: 4103,
  payment: 4104,
  shipping: 4105,
  analytics: 4106,
} as const;

/**
 * Port of instance `n` (1-based) of a service run several times: the first uses the service's
 * port, each further one 10 above the previous (inventory: 4102, 4112, ...).
 */
export function instancePort(basePort: number, n: number): number {
  return basePort + 10 * (n - 1);
}

import type { OutboxSchemaName } from "./outbox-schema.ts";

/**
 * In-process wake-ups from `enqueueEvent` to the relay of the same process. Why not always
 * NOTIFY: PostgreSQL serialises the commits of notifying transactions on one lock (measured here:
 * about 45 % fewer commits/s with a NOTIFY in each), which would cap the order rate. A service
 * that runs its own relay (all of ours) tells it directly; NOTIFY remains for writers without one.
 */
const localRelays = new Map<OutboxSchemaName, Set<() => void>>();

/** Registers a relay's wake-up for `schema`; returns the unregister function. */
export function registerLocalRelay(schema: OutboxSchemaName, wake: () => void): () => void {
  const set = localRelays.get(schema) ?? new Set();
  set.add(wake);
  localRelays.set(schema, set);
  return () => void set.delete(wake);
}

/** Wakes the local relays of `schema`; false when this process runs none (then NOTIFY instead). */
export function signalLocalRelay(schema: OutboxSchemaName): boolean {
  if (!hasLocalRelay(schema)) return false;
  for (const wake of localRelays.get(schema)!) wake();
  return true;
}

/** True when this process runs a relay of `schema` (its writers wake it instead of a NOTIFY). */
export function hasLocalRelay(schema: OutboxSchemaName): boolean {
  return (localRelays.get(schema)?.size ?? 0) > 0;
}

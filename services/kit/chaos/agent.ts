import { Redis } from "ioredis";
import type { ChaosExperiment } from "../../contracts/index.ts";
import { ChaosStore, chaosKeys } from "../../shared/chaos-store.ts";
import { onShutdown } from "../../shared/shutdown.ts";
import { untraced } from "../untraced.ts";
import { matchClientFaults, matchConsumerFault, matchServerFaults, type ActiveFault } from "./match.ts";
import { chaosEnv } from "./env.ts";

export type { ActiveFault } from "./match.ts";

/** Reload period when no pub/sub message arrives (a lost message, a reconnect). */
const POLL_MS = 2_000;

type AgentState = { service: string; experiments: ChaosExperiment[] };

// One agent per process: the service it runs in and the last snapshot of experiments.
let state: AgentState | null = null;

/**
 * Starts reading chaos experiments for `service` in this process: loads them now, reloads on every
 * message on the chaos channel (so a change in the dashboard is live at once) and every 2 s
 * as a fallback. Never throws: with Redis down, the process runs without faults and keeps trying.
 */
export async function startChaosAgent(options: { service: string; redisUrl: string; prefix: string }): Promise<void> {
  const agent: AgentState = { service: options.service, experiments: [] };
  state = agent;
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  const subscriber = redis.duplicate();
  const store = new ChaosStore(redis, options.prefix);
  redis.on("error", () => undefined);
  subscriber.on("error", () => undefined);
  const reload = () =>
    untraced(() => store.list())
      .then((experiments) => void (agent.experiments = experiments))
      .catch((error: unknown) => console.warn(`chaos: could not load experiments: ${String(error)}`));
  subscriber.on("message", () => void reload());
  const timer = setInterval(() => void reload(), POLL_MS);
  timer.unref();
  onShutdown("chaos agent", async () => {
    clearInterval(timer);
    subscriber.disconnect();
    redis.disconnect();
  });
  await untraced(() => subscriber.subscribe(chaosKeys(options.prefix).channel)).catch(() => undefined);
  await reload();
}

/** `startChaosAgent` with the Redis URL and prefix from the environment (see `env.ts`). */
export function startChaosAgentFromEnv(service: string): Promise<void> {
  const env = chaosEnv();
  return startChaosAgent({ service, redisUrl: env.REDIS_URL, prefix: env.REDIS_PREFIX });
}

/** The service this process runs, when the chaos agent was started (null in tests without it). */
export function chaosService(): string | null {
  return state?.service ?? null;
}

/** Faults this process's clients meet when calling `dependency`. */
export function clientFaultsFor(dependency: string): ActiveFault[] {
  return state ? matchClientFaults(state.experiments, state.service, dependency) : [];
}

/** Faults this process injects into the requests it serves. */
export function serverFaults(): ActiveFault[] {
  return state ? matchServerFaults(state.experiments, state.service) : [];
}

/**
 * The poison-message fault for `service`'s consumer of `queue`, or null. The async side (DLQ
 * helpers) calls this in its processor and, when `shouldInject` says so, treats the message as
 * poison and marks its span with `app.chaos.experiment_id` / `app.chaos.fault`.
 */
export function getConsumerFault(service: string, queue: string): ActiveFault | null {
  return state ? matchConsumerFault(state.experiments, service, queue) : null;
}

/** For tests: install a snapshot directly instead of reading Redis. */
export function setChaosSnapshotForTest(service: string | null, experiments: ChaosExperiment[]): void {
  state = service ? { service, experiments } : null;
}

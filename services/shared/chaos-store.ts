import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import {
  AppError,
  ChaosExperimentSchema,
  StartExperimentInputSchema,
  type ChaosExperiment,
  type StartExperimentInput,
} from "../contracts/index.ts";

/** Redis keys of the chaos state under one prefix (dev `sy`, tests `sytest<slot>`). */
export function chaosKeys(prefix: string) {
  return { experiments: `${prefix}:chaos:experiments`, channel: `${prefix}:chaos:changed` };
}

/** True while the experiment injects its fault. */
export function isExperimentActive(experiment: ChaosExperiment, now = Date.now()): boolean {
  if (experiment.endedAt) return false;
  return !experiment.endsAt || Date.parse(experiment.endsAt) > now;
}

/** An experiment whose planned end passed reads as ended at that time. */
function settle(experiment: ChaosExperiment, now: number): ChaosExperiment {
  if (experiment.endedAt || !experiment.endsAt || Date.parse(experiment.endsAt) > now) return experiment;
  return { ...experiment, endedAt: experiment.endsAt };
}

/**
 * Fault-injection experiments in Redis: one hash field per experiment (JSON), and a pub/sub
 * channel that tells every service to reload at once. Used by the dashboard (to change) and by
 * the services' chaos agent (to read). Ended experiments stay, so traces remain filterable by them.
 */
export class ChaosStore {
  private readonly keys: ReturnType<typeof chaosKeys>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = chaosKeys(prefix);
  }

  /** Every experiment, newest first. Entries that fail validation are skipped, not fatal. */
  async list(now = Date.now()): Promise<ChaosExperiment[]> {
    const raw = await this.redis.hgetall(this.keys.experiments);
    const experiments: ChaosExperiment[] = [];
    for (const text of Object.values(raw)) {
      const parsed = ChaosExperimentSchema.safeParse(safeJson(text));
      if (parsed.success) experiments.push(settle(parsed.data, now));
    }
    return experiments.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  }

  /** Starts a fault; throws a zod error (nothing stored) on invalid input. */
  async start(input: StartExperimentInput, now = Date.now()): Promise<ChaosExperiment> {
    const valid = StartExperimentInputSchema.parse(input);
    const experiment: ChaosExperiment = {
      id: `exp-${randomUUID().slice(0, 8)}`,
      service: valid.service,
      dependency: valid.dependency,
      fault: valid.fault,
      rate: valid.fault === "down" ? 1 : valid.rate,
      latencyMs: valid.latencyMs,
      queue: valid.queue,
      startedAt: new Date(now).toISOString(),
      endsAt: valid.durationSec ? new Date(now + valid.durationSec * 1000).toISOString() : null,
      endedAt: null,
    };
    await this.redis.hset(this.keys.experiments, experiment.id, JSON.stringify(experiment));
    await this.announce();
    return experiment;
  }

  /** Ends one experiment now (idempotent: an ended one is returned unchanged). */
  async stop(id: string, now = Date.now()): Promise<ChaosExperiment> {
    const text = await this.redis.hget(this.keys.experiments, id);
    const parsed = ChaosExperimentSchema.safeParse(safeJson(text));
    if (!text || !parsed.success) throw new AppError("NOT_FOUND", `no chaos experiment ${id}`);
    const current = settle(parsed.data, now);
    if (current.endedAt) return current;
    const ended = { ...current, endedAt: new Date(now).toISOString() };
    await this.redis.hset(this.keys.experiments, id, JSON.stringify(ended));
    await this.announce();
    return ended;
  }

  /** Ends every active experiment; returns how many were ended. */
  async reset(now = Date.now()): Promise<number> {
    const active = (await this.list(now)).filter((e) => isExperimentActive(e, now));
    if (active.length > 0) {
      const endedAt = new Date(now).toISOString();
      const fields = active.flatMap((e) => [e.id, JSON.stringify({ ...e, endedAt })]);
      await this.redis.hset(this.keys.experiments, ...fields);
    }
    await this.announce();
    return active.length;
  }

  /** Tells subscribed agents to reload now (they also poll, so a lost message only delays). */
  private async announce(): Promise<void> {
    await this.redis.publish(this.keys.channel, String(Date.now()));
  }
}

function safeJson(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

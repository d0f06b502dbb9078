import type { JobsOptions } from "bullmq";

/** Where queues live: one Redis, namespaced by `prefix` (dev `sy`, tests `sytest`). */
export type QueueConnection = { redisUrl: string; prefix: string };

/**
 * Retry defaults for every job: transient failures retry with exponential backoff
 * (0.5 s, 1 s, 2 s, 4 s); completed/failed jobs are trimmed so Redis does not grow forever.
 * Shared because the dashboard's dead-letter replay re-adds jobs that services' workers consume.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 500 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

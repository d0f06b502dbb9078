import { createHash } from "node:crypto";
import { trace } from "@opentelemetry/api";
import type { Job } from "bullmq";
import { chaosService, getConsumerFault, type ActiveFault } from "../chaos/agent.ts";
import { markChaos } from "../chaos/inject.ts";

/** What a consumer throws for a message a poison-message experiment marked. Retryable on purpose. */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PoisonMessageError";
  }
}

/**
 * Whether the message is poison under `fault`: decided by the message (hash of experiment and job
 * id against the rate), not per attempt, so a poison message fails every attempt and lands in the
 * DLQ after the configured attempts, while the others pass.
 */
export function isPoisoned(job: Pick<Job, "id">, fault: ActiveFault): boolean {
  if (fault.rate >= 1) return true;
  const digest = createHash("sha1").update(`${fault.experimentId}:${job.id}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < fault.rate;
}

/** The topic of a subscriber queue (`order-events.notification` -> `order-events`). */
function topicOf(queueName: string): string {
  return queueName.split(".", 1)[0] ?? queueName;
}

/**
 * The chaos panel's poison-message fault, applied before a consumer's processor (the kit's
 * JobFaultHook). A fault targets a consumer by its queue, or by the topic for a subscriber's queue.
 * Throws {@link PoisonMessageError} (retried with backoff, then dead-lettered as `exhausted`) and
 * marks the `process` span with the experiment.
 */
export function applyPoisonFault(queueName: string, job: Job): void {
  const service = chaosService();
  if (!service) return;
  const fault = getConsumerFault(service, queueName) ?? getConsumerFault(service, topicOf(queueName));
  if (!fault || !isPoisoned(job, fault)) return;
  const span = trace.getActiveSpan();
  if (span) markChaos(span, [fault]);
  throw new PoisonMessageError(`poison message (chaos experiment ${fault.experimentId}): ${queueName} job ${job.id} cannot be processed`);
}

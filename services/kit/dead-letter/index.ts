/** The dead-letter queue: moving failed jobs (worker hook + reconciler); the dashboard replays them (server/dlq/replay.ts). */
export { createDeadLetterer, type DeadLetterer, type DeadLetterResult } from "./dead-letterer.ts";
export { startDeadLetterReconciler, type Reconciler, type ReconcilerOptions } from "./reconciler.ts";
export { buildDeadLetterRecord, classifyFailure, traceHeadersOf } from "./record.ts";

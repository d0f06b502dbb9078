/** The dead-letter queue: moving failed jobs (worker hook + reconciler) and replaying them. */
export { createDeadLetterer, type DeadLetterer, type DeadLetterResult } from "./dead-letterer.ts";
export { startDeadLetterReconciler, type Reconciler, type ReconcilerOptions } from "./reconciler.ts";
export { createReplayer, type Replayer, type ReplayerOptions } from "./replay.ts";
export { buildDeadLetterRecord, classifyFailure, traceHeadersOf } from "./record.ts";

/**
 * Telemetry attribute names. Standard ones are copied from the OpenTelemetry semantic conventions
 * (rpc.*, messaging.*, http.*, db.*, error.type); Switchyard's own live under `app.<area>.<attr>`.
 * Nothing else in the code base writes an attribute name inline.
 */
export const Attr = {
  // OpenTelemetry: RPC
  RPC_SYSTEM: "rpc.system",
  RPC_SERVICE: "rpc.service",
  RPC_METHOD: "rpc.method",
  // OpenTelemetry: messaging
  MESSAGING_SYSTEM: "messaging.system",
  MESSAGING_OPERATION_TYPE: "messaging.operation.type",
  MESSAGING_DESTINATION_NAME: "messaging.destination.name",
  MESSAGING_OPERATION_NAME: "messaging.operation.name",
  MESSAGING_MESSAGE_ID: "messaging.message.id",
  MESSAGING_CONVERSATION_ID: "messaging.message.conversation_id",
  /** The subscriber's own queue of a publish-subscribe topic (OTel: subscription name). */
  MESSAGING_SUBSCRIPTION_NAME: "messaging.destination.subscription.name",
  // OpenTelemetry: HTTP / network (client side of an RPC)
  SERVER_ADDRESS: "server.address",
  SERVER_PORT: "server.port",
  URL_FULL: "url.full",
  /** Logical name of the remote service a CLIENT/PRODUCER span talks to (foreign SDKs). */
  PEER_SERVICE: "peer.service",
  // OpenTelemetry: database (CLIENT spans to a database are not service-map edges)
  DB_SYSTEM: "db.system",
  DB_SYSTEM_NAME: "db.system.name",
  DB_QUERY_TEXT: "db.query.text",
  // OpenTelemetry: misc
  ERROR_TYPE: "error.type",
  SERVICE_NAME: "service.name",
  SERVICE_INSTANCE_ID: "service.instance.id",
  /** The machine (its clock): spans of one host are never shifted against each other for skew. */
  HOST_NAME: "host.name",
  // Switchyard
  ORDER_ID: "app.order.id",
  ORDER_STATUS: "app.order.status",
  ORDER_STYLE: "app.order.style",
  CUSTOMER_ID: "app.customer.id",
  PRODUCT_ID: "app.product.id",
  QUANTITY: "app.order.quantity",
  EVENT_NAME: "app.event.name",
  MESSAGING_PATTERN: "app.messaging.pattern",
  STOCK_REMAINING: "app.inventory.remaining",
  STOCK_RESERVED: "app.inventory.reserved",
  NOTIFICATION_CHANNEL: "app.notification.channel",
  IDEMPOTENT_DUPLICATE: "app.idempotency.duplicate",
  ORDER_REASON: "app.order.reason",
  JOB_ATTEMPT: "app.job.attempt",
  // Switchyard: messaging roles beyond OTel (request/reply pairing, outbox)
  /** `request` or `reply` on both ends of an async request/reply; paired by conversation_id. */
  MESSAGING_ROLE: "app.messaging.role",
  /** The queue a request asks its reply to be sent to. */
  MESSAGING_REPLY_TO: "app.messaging.reply_to",
  OUTBOX_ID: "app.outbox.id",
  IDEMPOTENCY_KEY: "app.idempotency.key",
  // Switchyard: saga orchestration (one INTERNAL span per step execution or compensation)
  SAGA_ID: "app.saga.id",
  SAGA_NAME: "app.saga.name",
  /** On `saga.start`: the planned steps in order (string array). */
  SAGA_STEPS: "app.saga.steps",
  SAGA_STEP: "app.saga.step",
  SAGA_STEP_INDEX: "app.saga.step.index",
  SAGA_ACTION: "app.saga.action",
  SAGA_STEP_OUTCOME: "app.saga.step.outcome",
  SAGA_STATUS: "app.saga.status",
  SAGA_REASON: "app.saga.reason",
  /** On `saga.execute`: which attempt at the step this is (1 first). */
  SAGA_STEP_ATTEMPT: "app.saga.step.attempt",
  /** On a `saga.execute` that got no answer and will be tried again: when (epoch ms). */
  SAGA_NEXT_ATTEMPT_AT_MS: "app.saga.next_attempt_at_ms",
  /** On a `saga.execute` that got no answer: when the saga gives up and compensates (epoch ms). */
  SAGA_GIVE_UP_AT_MS: "app.saga.give_up_at_ms",
  /** On `saga.request <kind>`: what a person asked (`cancel`, `retry`). */
  SAGA_REQUEST: "app.saga.request",
  /** On `saga.request <kind>`: how it was taken (`accepted`, `already-requested`, `not-running`, ...). */
  SAGA_REQUEST_OUTCOME: "app.saga.request.outcome",
  // Switchyard: participants
  PAYMENT_ID: "app.payment.id",
  PAYMENT_AMOUNT: "app.payment.amount_cents",
  SHIPMENT_ID: "app.shipment.id",
  // Switchyard: resilience (breaker = the caller's breaker for one dependency, named after it)
  BREAKER_NAME: "app.breaker.name",
  /** The breaker's state when the call was made (on every call and attempt span). */
  BREAKER_STATE: "app.breaker.state",
  BREAKER_FROM_STATE: "app.breaker.from_state",
  BREAKER_TO_STATE: "app.breaker.to_state",
  BREAKER_REASON: "app.breaker.reason",
  BREAKER_FAILURE_RATE: "app.breaker.failure_rate",
  BREAKER_SLOW_RATE: "app.breaker.slow_call_rate",
  /** Calls in the breaker's window when the span was written. */
  BREAKER_WINDOW_CALLS: "app.breaker.window_calls",
  /** Length of the breaker's own sliding window (ms) its rates and decisions cover, on every span carrying `app.breaker.state`. */
  BREAKER_WINDOW_MS: "app.breaker.window_ms",
  /** true on the CLIENT span of a call the open breaker short-circuited. */
  BREAKER_REJECTED: "app.breaker.rejected",
  /** true on an attempt that succeeded but took at least the slow-call threshold. */
  BREAKER_SLOW_CALL: "app.breaker.slow_call",
  /** What the caller answered instead (a short description), when a fallback was used. */
  FALLBACK_USED: "app.fallback.used",
  // Switchyard: order recovery (services/order/recovery): on `order.recover` spans, and on the
  // placeOrder span of an order its flow left to the sweeper
  /** "resume" (run the flow again), "compensate" (undo what took effect), "complete", "wait". */
  RECOVERY_ACTION: "app.recovery.action",
  /** How many times the sweeper has taken this order (1 = first). */
  RECOVERY_ATTEMPT: "app.recovery.attempt",
  /** Why it decided so (a short sentence). */
  RECOVERY_REASON: "app.recovery.reason",
  /** On a `price_book.stale` event: how old the price copy used was (inventory could not be asked). */
  PRICE_BOOK_AGE_MS: "app.price_book.age_ms",
  /** true on a compensation whose participant found nothing to undo (the step never took effect). */
  UNDO_NOOP: "app.undo.noop",
  /** On `order.recover`: the steps a compensation really undid (string array). */
  RECOVERY_UNDONE: "app.recovery.undone",
  RETRY_ATTEMPT: "app.retry.attempt",
  RETRY_DELAY_MS: "app.retry.delay_ms",
  RETRY_MAX_ATTEMPTS: "app.retry.max_attempts",
  // Switchyard: fault injection
  CHAOS_EXPERIMENT_ID: "app.chaos.experiment_id",
  CHAOS_FAULT: "app.chaos.fault",
  // Switchyard: async retries and the dead-letter queue (DLQ)
  /** Attempts a job may make in total (BullMQ `attempts`). */
  JOB_MAX_ATTEMPTS: "app.job.max_attempts",
  /** Backoff before the next attempt, set on the `process` span of an attempt that will be retried. */
  JOB_RETRY_DELAY_MS: "app.job.retry_delay_ms",
  /** true on the `process` span of an attempt after which the job failed for good. */
  JOB_FINAL_FAILURE: "app.job.final_failure",
  /** One dead-lettered message: `<source queue>/<original job id>`; on dead-letter and replay spans. */
  DLQ_ID: "app.dlq.id",
  /** `exhausted`, `unrecoverable` or `stalled`. */
  DLQ_REASON: "app.dlq.reason",
  DLQ_SOURCE_QUEUE: "app.dlq.source_queue",
  DLQ_JOB_NAME: "app.dlq.job_name",
  DLQ_ORIGINAL_JOB_ID: "app.dlq.original_job_id",
  DLQ_ATTEMPTS: "app.dlq.attempts",
  DLQ_ERROR_MESSAGE: "app.dlq.error.message",
  DLQ_ERROR_STACK: "app.dlq.error.stack",
  /** The message payload as JSON, capped (see `app.dlq.payload_truncated`). */
  DLQ_PAYLOAD: "app.dlq.payload",
  DLQ_PAYLOAD_TRUNCATED: "app.dlq.payload_truncated",
  /** W3C traceparent of the message as it was sent (the original trace). */
  DLQ_ORIGINAL_TRACEPARENT: "app.dlq.original_traceparent",
  /** Who moved it: `worker` (on the final failure) or `reconciler` (found in BullMQ's failed set). */
  DLQ_DETECTED_BY: "app.dlq.detected_by",
  // Switchyard: the dashboard's queue actions (retry, promote, remove, clean, discard)
  /** On an action span: `done`, `not-found` or `failed`. */
  QUEUE_ACTION_OUTCOME: "app.queue.action.outcome",
  /** On a `clean <queue>` span: the state cleaned and the grace period kept. */
  QUEUE_CLEAN_STATE: "app.queue.clean.state",
  QUEUE_CLEAN_GRACE_MS: "app.queue.clean.grace_ms",
  /** On a replay span: the job id of the new job on the source queue. */
  DLQ_REPLAY_JOB_ID: "app.dlq.replay.job_id",
  /** On a reconciler span: how many failed jobs it moved to the DLQ. */
  DLQ_RECONCILED_COUNT: "app.dlq.reconciled_count",
  /** On a span link: why the spans are linked (`dead-letter-origin`, `dead-lettering`). */
  LINK_TYPE: "app.link.type",
  /** BullMQ's own job id on its spans (bullmq telemetry); `messaging.message.id` may be the event's id. */
  BULLMQ_JOB_ID: "bullmq.job.id",
  // OpenTelemetry: HTTP server (gateway)
  HTTP_ROUTE: "http.route",
  HTTP_REQUEST_METHOD: "http.request.method",
  HTTP_RESPONSE_STATUS_CODE: "http.response.status_code",
  // Switchyard: service discovery (on the CLIENT span of a call resolved by name)
  /** The logical service the call was resolved for (`inventory`). */
  DISCOVERY_SERVICE: "app.discovery.service",
  /** How many live, not-ejected instances there were to choose from. */
  DISCOVERY_CANDIDATES: "app.discovery.candidates",
  /** The balancing rule that chose the instance (`least-outstanding`). */
  DISCOVERY_BALANCER: "app.discovery.balancer",
  /** Instances tried before this one succeeded (connection refused: failed over). */
  DISCOVERY_FAILOVERS: "app.discovery.failovers",
  /** true when no instance was registered and the configured URL was used. */
  DISCOVERY_STATIC: "app.discovery.static",
  // Switchyard: API gateway (on the gateway's SERVER span)
  GATEWAY_ROUTE: "app.gateway.route",
  GATEWAY_API_VERSION: "app.gateway.api_version",
  /** `ok`, `missing`, `invalid_key`, `invalid_token`, `expired_token`, `revoked_key`. */
  GATEWAY_AUTH_RESULT: "app.gateway.auth.result",
  /** `api_key` or `token`. */
  GATEWAY_AUTH_METHOD: "app.gateway.auth.method",
  GATEWAY_KEY_ID: "app.gateway.key_id",
  GATEWAY_RATE_LIMIT_ALLOWED: "app.gateway.rate_limit.allowed",
  GATEWAY_RATE_LIMIT_REMAINING: "app.gateway.rate_limit.remaining",
  GATEWAY_RATE_LIMIT_LIMIT: "app.gateway.rate_limit.limit",
  /** `hit`, `miss` (cacheable reads only). */
  GATEWAY_CACHE: "app.gateway.cache",
  /** The services this request was routed to (string array). */
  GATEWAY_UPSTREAMS: "app.gateway.upstreams",
  /** Parts missing from an aggregated answer (string array); absent when complete. */
  GATEWAY_DEGRADED: "app.gateway.degraded",
} as const;

/** Values of `rpc.system` and `messaging.system` used by Switchyard. */
export const RPC_SYSTEM_TRPC = "trpc";
export const MESSAGING_SYSTEM_BULLMQ = "bullmq";

/** Values of `messaging.operation.type` (OTel messaging conventions). */
export const MessagingOperationType = {
  SEND: "send",
  PROCESS: "process",
} as const;

/** `app.messaging.role` values. */
export const MessagingRole = { REQUEST: "request", REPLY: "reply" } as const;

/** How a message travels: every subscriber gets it, or one worker of a pool does. */
export const MessagingPattern = {
  PUBLISH_SUBSCRIBE: "publish-subscribe",
  POINT_TO_POINT: "point-to-point",
} as const;
export type MessagingPattern = (typeof MessagingPattern)[keyof typeof MessagingPattern];

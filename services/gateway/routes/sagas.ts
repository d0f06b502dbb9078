import { Attr, SagaCancelBodySchema, OrderIdParamSchema, SagaRetryBodySchema, type SagaRequestAnswer, type SagaRequestKind } from "../../contracts/index.ts";
import { toAppError } from "../../kit/rpc-client.ts";
import type { Answer, RequestContext, Route } from "./types.ts";
import { validate } from "./validate.ts";

/**
 * Outcome -> HTTP status: a request that will act, or an identical one already will, is 202
 * (asking twice is safe); one that cannot act on the saga as it is now is 409 with the reason.
 */
function answerOf(answer: SagaRequestAnswer, ctx: RequestContext): Answer {
  const accepted = answer.outcome === "accepted" || answer.outcome === "already-requested";
  const body = { ...answer, links: { order: `/${ctx.version}/orders/${answer.orderId}` } };
  if (accepted) return { status: 202, body };
  const why: Record<string, string> = {
    "not-running": `the saga is ${answer.status}: only a running saga can be cancelled or retried`,
    "not-waiting": "the saga's current step is not waiting for a retry (it is being tried, or it has moved on)",
    "cancel-requested": "the saga is being cancelled",
  };
  return { status: 409, body: { error: { code: "CONFLICT", message: why[answer.outcome] ?? answer.outcome, details: body } } };
}

function sagaRoute(kind: SagaRequestKind): Route {
  return {
    method: "POST",
    path: `/orders/:id/${kind}`,
    upstreams: ["order"],
    async handle(ctx) {
      const orderId = validate(OrderIdParamSchema, ctx.params.id, "order id");
      const body = kind === "retry" ? validate(SagaRetryBodySchema, ctx.body, "body") : (validate(SagaCancelBodySchema, ctx.body, "body"), {});
      // Not `app.saga.request`: that marks the order service's own request span, which the saga
      // views place on the timeline (one per request).
      ctx.span?.setAttribute(Attr.ORDER_ID, orderId);
      const answer = await ctx.deps.upstreams.order.order.requestSaga.mutate({ orderId, kind, ...body }).catch((e: unknown) => {
        throw toAppError(e, "order service");
      });
      ctx.span?.setAttributes({ [Attr.SAGA_ID]: answer.sagaId, [Attr.SAGA_REQUEST_OUTCOME]: answer.outcome });
      return answerOf(answer, ctx);
    },
  };
}

/** `POST /vN/orders/:id/cancel`: stop the order's saga going forward and compensate now. */
export const cancelSagaRoute = sagaRoute("cancel");
/** `POST /vN/orders/:id/retry`: try the saga's waiting step now instead of at its scheduled time. */
export const retrySagaRoute = sagaRoute("retry");

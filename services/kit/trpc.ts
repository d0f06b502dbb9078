import { SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { initTRPC, TRPCError, type AnyRouter } from "@trpc/server";
import { Attr, RPC_SYSTEM_TRPC } from "../contracts/index.ts";
import { ChaosInjectedError, injectServerFaults } from "./chaos/inject.ts";
import { redactErrorShape } from "../shared/error-shape.ts";
import { appCodeOf, toTrpcError } from "./errors.ts";

export { closeHttpServer, refuseMisdirected, startHttpServer, type HttpServerOptions } from "./http-server.ts";

/** Splits `inventory.reserveStock` into its `rpc.service` and `rpc.method`. */
export function splitRpcPath(path: string): { service: string; method: string } {
  const dot = path.lastIndexOf(".");
  return dot < 0 ? { service: "", method: path } : { service: path.slice(0, dot), method: path.slice(dot + 1) };
}

/** Marks a span as failed the OTel way: exception event, ERROR status, `error.type`. */
export function recordSpanError(span: Span, error: unknown, errorType: string): void {
  span.recordException(error instanceof Error ? error : new Error(String(error)));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.setAttribute(Attr.ERROR_TYPE, errorType);
}

/** True when `span` is the HTTP SERVER span the http instrumentation opened for this request. */
function isServerSpan(span: Span | undefined): span is Span {
  return (span as { kind?: SpanKind } | undefined)?.kind === SpanKind.SERVER;
}

/** Runs `fn` with the span that represents this procedure call, creating one only if needed. */
async function withProcedureSpan<T>(path: string, fn: (span: Span) => Promise<T>): Promise<T> {
  const active = trace.getActiveSpan();
  // Over HTTP the SERVER span already exists: reuse it (one span per hop). Through createCaller
  // there is none, so the procedure gets its own INTERNAL span instead of renaming the caller's.
  if (isServerSpan(active)) return fn(active);
  return trace.getTracer("switchyard-trpc").startActiveSpan(path, async (span) => {
    try {
      return await fn(span);
    } finally {
      span.end();
    }
  });
}

/**
 * tRPC for one service: `router`, and `procedure` with the tracing/error middleware applied. The
 * error formatter adds `data.appCode` so clients can rebuild the AppError code, and hides internal
 * errors' text and every stack (see services/shared/error-shape.ts).
 */
export function initServiceTrpc() {
  const t = initTRPC.create({
    errorFormatter: ({ shape, error }) => {
      const safe = redactErrorShape(shape, error);
      return {
        ...safe,
        data: {
          ...safe.data,
          appCode: appCodeOf(error),
          // Tells the caller a chaos experiment caused this answer, so its span is marked as well.
          ...(error.cause instanceof ChaosInjectedError ? { chaos: { experimentId: error.cause.experimentId, fault: error.cause.fault } } : {}),
        },
      };
    },
  });
  const traced = t.middleware(({ path, next }) =>
    withProcedureSpan(path, async (span) => {
      const { service, method } = splitRpcPath(path);
      span.updateName(path);
      span.setAttributes({ [Attr.RPC_SYSTEM]: RPC_SYSTEM_TRPC, [Attr.RPC_SERVICE]: service, [Attr.RPC_METHOD]: method });
      // Service-level chaos (latency, injected 503s) happens here, inside the traced handler.
      const chaos = await injectServerFaults(span).then(() => null, (error: unknown) => error);
      const result = chaos ? { ok: false as const, error: new TRPCError({ code: "SERVICE_UNAVAILABLE", cause: chaos }) } : await next();
      if (result.ok) return result;
      const error: TRPCError = toTrpcError(result.error);
      recordSpanError(span, error.cause ?? error, appCodeOf(error) ?? error.code);
      throw error;
    }),
  );
  return { router: t.router, procedure: t.procedure.use(traced), createCallerFactory: t.createCallerFactory };
}

/** Any router built with `initServiceTrpc`. */
export type ServiceRouter = AnyRouter;

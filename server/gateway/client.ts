import { readFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import {
  GatewayErrorSchema,
  GatewayHeaders,
  V2OrderSchema,
  V2OrdersResponseSchema,
  V2PlaceOrderResponseSchema,
  type Order,
  type PlaceOrderInput,
  type PlaceOrderOutput,
  SagaRequestAnswerSchema,
  type SagaRequestAnswer,
  type SagaRequestInput,
} from "../../services/contracts/index.ts";

/**
 * A client of the gateway's public v2 API (v2 has every order status), for the first-party callers that must enter through it
 * like anyone else: the dashboard's server and `npm run order`. Plain fetch + zod: the API is
 * HTTP/JSON with its own error shape, not tRPC, and three routes do not call for a generated SDK.
 */

/** The gateway's answer was an error (`status` 0: it could not be reached). */
export class GatewayRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "GatewayRequestError";
  }

  /** The message with when to try again, if the gateway said (a 429's Retry-After). */
  get detail(): string {
    return this.retryAfterSeconds === undefined ? this.message : `${this.message} (retry after ${this.retryAfterSeconds} s)`;
  }
}

export type GatewayClient = {
  placeOrder(input: PlaceOrderInput): Promise<PlaceOrderOutput>;
  /** `headers` lets a poller send an unsampled traceparent, so polling leaves no traces. */
  getOrder(orderId: string, headers?: Record<string, string>): Promise<Order>;
  /** The `limit` most recent orders, newest first. */
  listOrders(limit: number, headers?: Record<string, string>): Promise<Order[]>;
  /**
   * Cancel (compensate now) or retry the waiting step of a saga order. A 202 is the answer (also
   * when an identical request was made already); a 409 throws, saying why it cannot act.
   */
  requestSaga(input: SagaRequestInput): Promise<SagaRequestAnswer>;
};

/** Where the launcher keeps the local key for `prefix` (gitignored, mode 0600). */
export function localApiKeyPath(rootDir: string, prefix: string): string {
  return path.join(rootDir, ".switchyard", `api-key.${prefix}`);
}

/** The key `npm start` saved for `prefix`, or null when there is none yet. */
export async function readLocalApiKey(rootDir: string, prefix: string): Promise<string | null> {
  const text = await readFile(localApiKeyPath(rootDir, prefix), "utf8").catch(() => "");
  return text.trim() || null;
}

async function request<S extends z.ZodType>(baseUrl: string, apiKey: string, pathname: string, schema: S, init: RequestInit = {}): Promise<z.infer<S>> {
  const url = `${baseUrl.replace(/\/$/, "")}${pathname}`;
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { [GatewayHeaders.API_KEY]: apiKey, ...(init.headers as Record<string, string>) } });
  } catch (error) {
    throw new GatewayRequestError(0, "UNAVAILABLE", `the gateway is unreachable at ${baseUrl} (${error instanceof Error ? error.message : String(error)})`);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = GatewayErrorSchema.safeParse(body);
    const retryAfter = Number(res.headers.get("retry-after") ?? NaN);
    const { code, message } = parsed.success ? parsed.data.error : { code: "INTERNAL", message: `HTTP ${res.status} from the gateway` };
    throw new GatewayRequestError(res.status, code, message, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new GatewayRequestError(res.status, "INTERNAL", `unexpected answer from ${init.method ?? "GET"} ${pathname}: ${parsed.error.message}`);
  return parsed.data;
}

/** A v2 client of the gateway at `baseUrl` that authenticates with `apiKey`, in the services' shapes. */
export function createGatewayClient(baseUrl: string, apiKey: string): GatewayClient {
  return {
    async placeOrder(input) {
      const placed = await request(baseUrl, apiKey, "/v2/orders", V2PlaceOrderResponseSchema, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      });
      return { orderId: placed.id, status: placed.status, style: placed.style, reason: placed.reason, traceId: placed.traceId };
    },
    async getOrder(orderId, headers) {
      const { links: _links, ...order } = await request(baseUrl, apiKey, `/v2/orders/${encodeURIComponent(orderId)}`, V2OrderSchema, { headers });
      return order;
    },
    async listOrders(limit, headers) {
      const { items } = await request(baseUrl, apiKey, `/v2/orders?limit=${limit}`, V2OrdersResponseSchema, { headers });
      return items.map(({ links: _links, ...order }) => order);
    },
    async requestSaga({ orderId, kind, afterAttempt }) {
      const body = kind === "retry" && afterAttempt !== undefined ? { afterAttempt } : {};
      const answer = await request(baseUrl, apiKey, `/v2/orders/${encodeURIComponent(orderId)}/${kind}`, SagaRequestAnswerSchema, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return answer;
    },
  };
}

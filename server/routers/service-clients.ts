import { TRPCError } from "@trpc/server";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { Order, PlaceOrderInput, PlaceOrderOutput, Product } from "../../services/contracts/index.ts";
import type { InventoryRouter } from "../../services/inventory/router.ts";
import type { OrderRouter } from "../../services/order/router.ts";
import { createGatewayClient, GatewayRequestError, type GatewayClient } from "../gateway/client.ts";
import { unsampledTraceHeaders } from "../gateway/trace-headers.ts";

/** The calls the dashboard makes to the order service (narrow, so tests can pass a fake). */
export type OrderApi = {
  placeOrder(input: PlaceOrderInput): Promise<PlaceOrderOutput>;
  listOrders(input: { limit: number }): Promise<Order[]>;
  getOrder(input: { orderId: string }): Promise<Order>;
};

/** The calls the dashboard makes to the inventory service. */
export type InventoryApi = {
  listProducts(): Promise<Product[]>;
};

/** Every service mounts its tRPC router here (see services/shared/trpc-paths.ts). */
const TRPC_PATH = "/trpc";

/**
 * The dashboard's own reads (lists it polls) go out unsampled: they would otherwise fill the
 * trace list with traces nobody made. What a user does (placing an order) is traced.
 */
const readsUntraced = ({ op }: { op: { type: string } }) => (op.type === "query" ? unsampledTraceHeaders() : {});

/** Typed client for the order service at `baseUrl` (e.g. http://127.0.0.1:4101). */
export function createOrderApi(baseUrl: string): OrderApi {
  const client = createTRPCClient<OrderRouter>({ links: [httpLink({ url: `${baseUrl}${TRPC_PATH}`, headers: readsUntraced })] });
  return {
    placeOrder: (input) => callService("order service", baseUrl, () => client.order.placeOrder.mutate(input)),
    listOrders: (input) => callService("order service", baseUrl, () => client.order.listOrders.query(input)),
    getOrder: (input) => callService("order service", baseUrl, () => client.order.getOrder.query(input)),
  };
}

/** Where the dashboard places orders: the gateway (the only public entry point), with its key. */
export type GatewayAccess = { baseUrl: string; apiKey: () => Promise<string | null> };

/**
 * Orders through the gateway, like any other client: placing and reading one order go to its
 * `/v1` API with the dashboard's API key. The recent-orders list is an operator's view that the
 * public API does not offer; it reads the order service directly.
 */
export function createGatewayOrderApi(gateway: GatewayAccess, orderUrl: string): OrderApi {
  const direct = createOrderApi(orderUrl);
  // Built once a key is found; until then every call looks again (npm start may create it later).
  let gatewayClient: GatewayClient | null = null;
  const client = async () => {
    if (gatewayClient) return gatewayClient;
    const key = await gateway.apiKey();
    if (!key) {
      throw new TRPCError({
        code: "PRECONDITION_FAILED",
        message: "The dashboard has no API key for the gateway: start Switchyard with `npm start` (it creates one) or set GATEWAY_API_KEY.",
      });
    }
    gatewayClient = createGatewayClient(gateway.baseUrl, key);
    return gatewayClient;
  };
  return {
    placeOrder: async (input) => callGateway(gateway.baseUrl, async () => (await client()).placeOrder(input)),
    getOrder: async (input) => callGateway(gateway.baseUrl, async () => (await client()).getOrder(input.orderId, unsampledTraceHeaders())),
    listOrders: (input) => direct.listOrders(input),
  };
}

/** tRPC codes for the gateway's answers; the rest (5xx) are the fault of what is behind it. */
const CODE_BY_STATUS: Record<number, TRPCError["code"]> = {
  400: "BAD_REQUEST",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
  503: "SERVICE_UNAVAILABLE",
  504: "TIMEOUT",
};

/** Runs a gateway call and turns its failure into a TRPCError the browser can show. */
async function callGateway<T>(baseUrl: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof GatewayRequestError)) throw error;
    if (error.status === 0) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: `The gateway is unreachable at ${baseUrl}`, cause: error });
    if (error.status === 401 || error.status === 403) {
      throw new TRPCError({ code: "PRECONDITION_FAILED", message: `The gateway refused the dashboard's API key (${error.message}); restart with \`npm start\` to create a new one.`, cause: error });
    }
    throw new TRPCError({ code: CODE_BY_STATUS[error.status] ?? "BAD_GATEWAY", message: error.detail, cause: error });
  }
}

/** Typed client for the inventory service at `baseUrl`. */
export function createInventoryApi(baseUrl: string): InventoryApi {
  const client = createTRPCClient<InventoryRouter>({ links: [httpLink({ url: `${baseUrl}${TRPC_PATH}`, headers: readsUntraced })] });
  return {
    listProducts: () => callService("inventory service", baseUrl, () => client.inventory.listProducts.query()),
  };
}

const PASSED_THROUGH = new Set(["BAD_REQUEST", "NOT_FOUND", "CONFLICT", "TIMEOUT", "PRECONDITION_FAILED"]);

/**
 * Runs a call to another service and turns its failure into a TRPCError the browser can show:
 * the service's own client errors pass through, an unreachable service is SERVICE_UNAVAILABLE,
 * anything else BAD_GATEWAY (the fault is behind the dashboard, not in the request).
 */
export async function callService<T>(what: string, baseUrl: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const code = (error.data as { code?: unknown } | undefined)?.code;
    if (typeof code === "string" && PASSED_THROUGH.has(code)) {
      throw new TRPCError({ code: code as "BAD_REQUEST", message: error.message, cause: error });
    }
    if (!error.data) {
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: `The ${what} is unreachable at ${baseUrl}`, cause: error });
    }
    throw new TRPCError({ code: "BAD_GATEWAY", message: `The ${what} failed: ${error.message}`, cause: error });
  }
}

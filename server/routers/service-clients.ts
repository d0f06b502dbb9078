import { TRPCError } from "@trpc/server";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { Order, PlaceOrderInput, PlaceOrderOutput, Product } from "../../services/contracts/index.ts";
import type { InventoryRouter } from "../../services/inventory/router.ts";
import type { OrderRouter } from "../../services/order/router.ts";

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

/** Every service mounts its tRPC router here (see services/kit/trpc-paths.ts). */
const TRPC_PATH = "/trpc";

/** Typed client for the order service at `baseUrl` (e.g. http://127.0.0.1:4101). */
export function createOrderApi(baseUrl: string): OrderApi {
  const client = createTRPCClient<OrderRouter>({ links: [httpLink({ url: `${baseUrl}${TRPC_PATH}` })] });
  return {
    placeOrder: (input) => callService("order service", baseUrl, () => client.order.placeOrder.mutate(input)),
    listOrders: (input) => callService("order service", baseUrl, () => client.order.listOrders.query(input)),
    getOrder: (input) => callService("order service", baseUrl, () => client.order.getOrder.query(input)),
  };
}

/** Typed client for the inventory service at `baseUrl`. */
export function createInventoryApi(baseUrl: string): InventoryApi {
  const client = createTRPCClient<InventoryRouter>({ links: [httpLink({ url: `${baseUrl}${TRPC_PATH}` })] });
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

import { TRPCError } from "@trpc/server";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { Order, PlaceOrderInput, PlaceOrderOutput, Product, SagaRequestAnswer, SagaRequestInput } from "../../services/contracts/index.ts";
import type { InventoryRouter } from "../../services/inventory/router.ts";
import { createGatewayClient, type GatewayClient } from "../gateway/client.ts";
import { unsampledTraceHeaders } from "../gateway/trace-headers.ts";
import { callGateway, callService } from "./upstream-errors.ts";

/** The calls the dashboard makes about orders (narrow, so tests can pass a fake). */
export type OrderApi = {
  placeOrder(input: PlaceOrderInput): Promise<PlaceOrderOutput>;
  listOrders(input: { limit: number }): Promise<Order[]>;
  getOrder(input: { orderId: string }): Promise<Order>;
  /** Cancel or retry a saga order's waiting step (see the gateway's /v2/orders/:id/cancel|retry). */
  requestSaga(input: SagaRequestInput): Promise<SagaRequestAnswer>;
};

/** The calls the dashboard makes to the inventory service. */
export type InventoryApi = {
  listProducts(): Promise<Product[]>;
};

/** Where the dashboard places orders: the gateway (the only public entry point), with its key. */
export type GatewayAccess = { baseUrl: string; apiKey: () => Promise<string | null> };

/**
 * Orders through the gateway, like any other client: placing, reading one and listing the recent
 * ones go to its `/v2` API with the dashboard's API key.
 */
export function createGatewayOrderApi(gateway: GatewayAccess): OrderApi {
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
    // Polled by the Orders page: unsampled, like the other reads.
    listOrders: async (input) => callGateway(gateway.baseUrl, async () => (await client()).listOrders(input.limit, unsampledTraceHeaders())),
    requestSaga: async (input) => callGateway(gateway.baseUrl, async () => (await client()).requestSaga(input)),
  };
}

/** Every service mounts its tRPC router here (see services/shared/trpc-paths.ts). */
const TRPC_PATH = "/trpc";

/**
 * The dashboard's own reads (lists it polls) go out unsampled: they would otherwise fill the
 * trace list with traces nobody made. What a user does (placing an order) is traced.
 */
const readsUntraced = ({ op }: { op: { type: string } }) => (op.type === "query" ? unsampledTraceHeaders() : {});

/** Typed client for the inventory service at `baseUrl`. */
export function createInventoryApi(baseUrl: string): InventoryApi {
  const client = createTRPCClient<InventoryRouter>({ links: [httpLink({ url: `${baseUrl}${TRPC_PATH}`, headers: readsUntraced })] });
  return {
    listProducts: () => callService("inventory service", baseUrl, () => client.inventory.listProducts.query()),
  };
}

import { createServiceClient } from "../kit/rpc-client.ts";
import type { InventoryRouter } from "../inventory/router.ts";
import type { OrderRouter } from "../order/router.ts";
import type { PaymentRouter } from "../payment/router.ts";
import type { ShippingRouter } from "../shipping/router.ts";
import type { GatewayEnv } from "./env.ts";

/**
 * The services behind the gateway. Each client resolves its service by name through discovery
 * on every call (the URLs are only the fallback while nothing is registered) and runs the kit's
 * resilience policies (timeout, retry, breaker).
 */
export function createUpstreams(env: GatewayEnv) {
  return {
    // One attempt: order.placeOrder carries no idempotency key, so a retry after a timeout could
    // place the order twice (seen: a cold first call took 2 s, the default timeout). The timeout
    // covers a sync-style order's whole chain, and a call counts as slow (towards opening the
    // breaker) only well past a normal order's seconds. Refused connections still fail over.
    order: createServiceClient<OrderRouter>(env.ORDER_URL, { policy: { maxAttempts: 1, timeoutMs: 15_000, slowCallDurationMs: 8_000 } }),
    inventory: createServiceClient<InventoryRouter>(env.INVENTORY_URL),
    payment: createServiceClient<PaymentRouter>(env.PAYMENT_URL),
    shipping: createServiceClient<ShippingRouter>(env.SHIPPING_URL),
  };
}

export type Upstreams = ReturnType<typeof createUpstreams>;

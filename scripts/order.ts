/**
 * `npm run order -- --mode saga --quantity 2 [--product sku-espresso] [--customer c1] [--no-wait]`:
 * places one order through the order service in the given communication style and prints ONE
 * JSON line `{orderId, traceId, status, style, traceUrl}`. Choreography and saga orders answer
 * PENDING at first: the script then polls the order until it is terminal (at most --wait-ms,
 * default 30 s), unless --no-wait.
 * Exit codes: 0 placed (whatever its outcome), 1 the service failed, is unreachable, or the order
 * was still PENDING at the deadline, 2 bad arguments.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { createTRPCClient, httpLink } from "@trpc/client";
import { z } from "zod";
import { DEFAULT_PORTS, OrderStyleSchema, PlaceOrderInputSchema, type OrderStatus } from "../services/contracts/index.ts";
import { parseEnv } from "../services/kit/env.ts";
import { createServiceClient, toAppError } from "../services/kit/rpc-client.ts";
import type { OrderRouter } from "../services/order/router.ts";

const env = parseEnv(
  z.object({
    ORDER_URL: z.url().default(`http://127.0.0.1:${DEFAULT_PORTS.order}`),
    DASHBOARD_URL: z.url().default(`http://127.0.0.1:${DEFAULT_PORTS.dashboard}`),
  }),
);

const USAGE = `usage: npm run order -- [--mode ${OrderStyleSchema.options.join("|")}] [--quantity N] [--product SKU] [--customer ID] [--no-wait] [--wait-ms MS]`;
const POLL_INTERVAL_MS = 200;

/** Parses and validates the flags; exits 2 with the reason and usage when they are wrong. */
function readArgs() {
  try {
    const { values } = parseArgs({
      options: {
        mode: { type: "string", default: "hybrid" },
        quantity: { type: "string", default: "1" },
        product: { type: "string", default: "sku-espresso" },
        customer: { type: "string", default: "cli" },
        "no-wait": { type: "boolean", default: false },
        "wait-ms": { type: "string", default: "30000" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (!/^\d+$/.test(values.quantity)) return fail(2, `--quantity must be a whole number, got "${values.quantity}"\n${USAGE}`);
    if (!/^\d+$/.test(values["wait-ms"])) return fail(2, `--wait-ms must be a whole number, got "${values["wait-ms"]}"\n${USAGE}`);
    const parsed = PlaceOrderInputSchema.safeParse({
      productId: values.product,
      customerId: values.customer,
      quantity: Number(values.quantity),
      style: values.mode,
    });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `--${flagOf(i.path[0])}: ${i.message}`);
      return fail(2, `${problems.join("\n")}\n${USAGE}`);
    }
    return { input: parsed.data, wait: !values["no-wait"], waitMs: Number(values["wait-ms"]) };
  } catch (error) {
    return fail(2, `${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

function flagOf(field: PropertyKey | undefined): string {
  const flags: Record<string, string> = { productId: "product", customerId: "customer", style: "mode" };
  return flags[String(field)] ?? String(field);
}

function fail(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

const client = createServiceClient<OrderRouter>(env.ORDER_URL);

/**
 * Polls carry a W3C traceparent with the sampled flag off: the order service's parent-based
 * sampler then records nothing for them, so waiting does not flood the trace list.
 */
const poller = createTRPCClient<OrderRouter>({
  links: [httpLink({ url: `${new URL(env.ORDER_URL).origin}/trpc`, headers: () => ({ traceparent: `00-${randomHex(16)}-${randomHex(8)}-00` }) })],
});

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

/** Polls the order until it leaves PENDING or `deadline` passes; returns the last status seen. */
async function waitForTerminal(orderId: string, deadline: number): Promise<OrderStatus> {
  for (;;) {
    const order = await poller.order.getOrder.query({ orderId });
    if (order.status !== "PENDING" || Date.now() >= deadline) return order.status;
    await sleep(POLL_INTERVAL_MS);
  }
}

const { input, wait, waitMs } = readArgs();
try {
  const placed = await client.order.placeOrder.mutate(input);
  const status = wait && placed.status === "PENDING" ? await waitForTerminal(placed.orderId, Date.now() + waitMs) : placed.status;
  const traceUrl = `${env.DASHBOARD_URL.replace(/\/$/, "")}/traces/${placed.traceId}`;
  console.log(JSON.stringify({ orderId: placed.orderId, traceId: placed.traceId, status, style: placed.style, traceUrl }));
  if (wait && status === "PENDING") fail(1, `order ${placed.orderId} still PENDING after ${waitMs} ms`);
} catch (error) {
  const appError = toAppError(error, `order service at ${env.ORDER_URL}`);
  fail(1, appError.code === "UNAVAILABLE" ? `${appError.message}\nIs Switchyard running? Start it with: npm start` : `order failed (${appError.code}): ${appError.message}`);
}

/**
 * `npm run order -- --mode saga --quantity 2 [--product sku-espresso] [--customer c1] [--no-wait]`:
 * places one order through the gateway (the public entry point, `POST /v1/orders`, with the API
 * key `npm start` saved in .switchyard/, or GATEWAY_API_KEY) in the given communication style
 * and prints ONE JSON line `{orderId, traceId, answered, status, reason, style, traceUrl}`. Orders
 * whose flow continues asynchronously answer PENDING or CONFIRMED (`answered`): the script then
 * polls the order until it is terminal (`status`; at most --wait-ms, default 30 s), unless --no-wait.
 * Exit codes: 0 placed (whatever its outcome), 1 the gateway or a service failed, is unreachable,
 * refused the key, or the order was still PENDING at the deadline, 2 bad arguments.
 */
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { ApiKeySchema, DEFAULT_PORTS, isTerminalOrderStatus, OrderStyleSchema, PlaceOrderInputSchema, type OrderStatus } from "../services/contracts/index.ts";
import { parseEnv } from "../services/kit/env.ts";
import { createGatewayClient, GatewayRequestError, localApiKeyPath, readLocalApiKey, type GatewayClient } from "../server/gateway/client.ts";
import { unsampledTraceHeaders } from "../server/gateway/trace-headers.ts";
import { ROOT_DIR } from "./launcher/processes.ts";

const env = parseEnv(
  z.object({
    GATEWAY_URL: z.url().default(`http://127.0.0.1:${DEFAULT_PORTS.gateway}`),
    GATEWAY_API_KEY: ApiKeySchema.optional(),
    REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default("sy"),
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

/** Polls the order until it is terminal or `deadline` passes; returns the last status and reason seen. */
async function waitForTerminal(client: GatewayClient, orderId: string, deadline: number): Promise<{ status: OrderStatus; reason: string | null }> {
  for (;;) {
    // Unsampled: waiting does not flood the trace list.
    const order = await client.getOrder(orderId, unsampledTraceHeaders());
    if (isTerminalOrderStatus(order.status) || Date.now() >= deadline) return order;
    await sleep(POLL_INTERVAL_MS);
  }
}

/** The reason to print for a failed call, with what to do about it. */
function explain(error: unknown): string {
  if (!(error instanceof GatewayRequestError)) return `order failed: ${error instanceof Error ? error.message : String(error)}`;
  if (error.status === 0) return `${error.message}\nIs Switchyard running? Start it with: npm start`;
  if (error.status === 401) return `the gateway refused the API key (${error.message}); \`npm start\` creates a new one in ${localApiKeyPath(ROOT_DIR, env.REDIS_PREFIX)}`;
  return `order failed (${error.status} ${error.code}): ${error.detail}`;
}

const { input, wait, waitMs } = readArgs();
const apiKey = env.GATEWAY_API_KEY ?? (await readLocalApiKey(ROOT_DIR, env.REDIS_PREFIX));
if (!apiKey) fail(1, `no API key for the gateway: run \`npm start\` once (it saves one in ${localApiKeyPath(ROOT_DIR, env.REDIS_PREFIX)}) or set GATEWAY_API_KEY`);
const client = createGatewayClient(env.GATEWAY_URL, apiKey);
try {
  const placed = await client.placeOrder(input);
  const final = wait && !isTerminalOrderStatus(placed.status) ? await waitForTerminal(client, placed.orderId, Date.now() + waitMs) : placed;
  const traceUrl = `${env.DASHBOARD_URL.replace(/\/$/, "")}/traces/${placed.traceId}`;
  // `answered`: what placing said (CONFIRMED, or PENDING with the fallback's reason);
  // `status`: where the order stands now.
  console.log(JSON.stringify({ orderId: placed.orderId, traceId: placed.traceId, answered: placed.status, status: final.status, reason: final.reason, style: placed.style, traceUrl }));
  if (wait && !isTerminalOrderStatus(final.status)) fail(1, `order ${placed.orderId} still ${final.status} after ${waitMs} ms`);
} catch (error) {
  fail(1, explain(error));
}

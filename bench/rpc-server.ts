/**
 * tRPC server cost per call: `npm run bench:rpc-server -- [--calls 20000] [--concurrency 16] [--rounds 3]`.
 * Two HTTP servers in this process answer the same mutation (zod input and output, the kit's
 * tracing/error middleware, no SDK): one through tRPC's node adapter alone, one through the
 * kit's fast path (services/kit/trpc-fast-path.ts) in front of it. The same keep-alive client
 * (services/kit/http-fetch.ts) calls each in turn; the process's CPU time per call is printed for
 * both, alternating, so the difference is the server side's. Asserts nothing.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { z } from "zod";
import { keepAliveFetch } from "../services/kit/http-fetch.ts";
import { initServiceTrpc } from "../services/kit/trpc.ts";
import { createTrpcMutationFastPath } from "../services/kit/trpc-fast-path.ts";
import { TRPC_BASE_PATH } from "../services/shared/trpc-paths.ts";

const { values: args } = parseArgs({
  options: { calls: { type: "string", default: "20000" }, concurrency: { type: "string", default: "16" }, rounds: { type: "string", default: "3" } },
});
const CALLS = Number(args.calls);
const CONCURRENCY = Number(args.concurrency);

const { router, procedure } = initServiceTrpc();
const Reservation = z.object({ orderId: z.string().uuid(), productId: z.string().min(1), quantity: z.number().int().positive() });
const appRouter = router({
  inventory: router({
    reserveStock: procedure.input(Reservation).output(z.object({ reservationId: z.string(), remaining: z.number() })).mutation(({ input }) => ({ reservationId: input.orderId, remaining: 100 - input.quantity })),
  }),
});

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const trpc = createHTTPHandler({ router: appRouter, basePath: `${TRPC_BASE_PATH}/` });
const fast = createTrpcMutationFastPath(appRouter);
const servers = {
  "tRPC node adapter": await listen((req, res) => void trpc(req, res)),
  "kit fast path": await listen((req, res) => void (fast(req, res, (req.url ?? "").split("?")[0]!) || trpc(req, res))),
};

const body = JSON.stringify({ orderId: "3b241101-e2bb-4255-8caf-4136c566a962", productId: "sku-filter", quantity: 1 });
async function run(url: string): Promise<number> {
  let next = 0;
  const started = process.cpuUsage();
  const worker = async () => {
    while (next++ < CALLS) {
      const response = await keepAliveFetch(`${url}/trpc/inventory.reserveStock`, { method: "POST", headers: { "content-type": "application/json" }, body });
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      await response.json();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000 / CALLS;
}

const results = new Map<string, number[]>();
for (let round = 0; round < Number(args.rounds); round++) {
  for (const [name, { url }] of Object.entries(servers)) {
    const ms = await run(url);
    results.set(name, [...(results.get(name) ?? []), ms]);
    console.log(`round ${round + 1} ${name}: ${(ms * 1000).toFixed(1)} µs CPU per call (client and server)`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [slow, quick] = [median(results.get("tRPC node adapter")!), median(results.get("kit fast path")!)];
console.log(`rpc-server: trpc_adapter_us=${(slow * 1000).toFixed(1)} fast_path_us=${(quick * 1000).toFixed(1)} saved_us=${((slow - quick) * 1000).toFixed(1)} ratio=${(quick / slow).toFixed(2)}`);
await Promise.all(Object.values(servers).map(({ server }) => new Promise((resolve) => server.close(resolve))));
process.exit(0);

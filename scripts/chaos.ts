/**
 * `npm run chaos -- <command>`: the chaos panel from a shell, through the same store (Redis,
 * prefix REDIS_PREFIX, default `sy`). Each command prints ONE JSON line.
 *   start <service> --error-rate R | --latency-ms N [--rate R] | --down | --poison <queue>
 *         [--dependency <service>] [--duration-sec N]
 *   list
 *   stop <exp-id> | stop --all
 * Exit codes: 0 done, 1 Redis or the store failed, 2 bad arguments (with a readable message).
 */
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { z, ZodError } from "zod";
import { AppError, describeZodError, type StartExperimentInput } from "../services/contracts/index.ts";
import { ChaosStore } from "../services/shared/chaos-store.ts";
import { parseEnv } from "../services/kit/env.ts";

const env = parseEnv(
  z.object({
    REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
    REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default("sy"),
  }),
);

const USAGE = `usage:
  npm run chaos -- start <service> (--error-rate R | --latency-ms N [--rate R] | --down | --poison <queue>) [--dependency <service>] [--duration-sec N]
  npm run chaos -- list
  npm run chaos -- stop <exp-id> | --all`;

class UsageError extends Error {}

function fail(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

function numberFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got "${text}"`);
  return value;
}

/** The experiment `start` asks for; exactly one fault flag. */
export function experimentFromArgs(argv: string[]): StartExperimentInput {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "error-rate": { type: "string" },
      "latency-ms": { type: "string" },
      rate: { type: "string" },
      down: { type: "boolean" },
      poison: { type: "string" },
      dependency: { type: "string" },
      "duration-sec": { type: "string" },
    },
  });
  const service = positionals[0];
  if (!service || positionals.length > 1) throw new UsageError("start needs exactly one service, e.g. `start payment --error-rate 1`");
  const chosen = (["error-rate", "latency-ms", "down", "poison"] as const).filter((flag) => values[flag] !== undefined);
  if (chosen.length !== 1) throw new UsageError("start needs exactly one of --error-rate, --latency-ms, --down, --poison");
  const common = {
    service,
    dependency: values.dependency ?? null,
    durationSec: numberFlag("duration-sec", values["duration-sec"]) ?? null,
  };
  switch (chosen[0]) {
    case "error-rate":
      return { ...common, fault: "error", rate: numberFlag("error-rate", values["error-rate"]) };
    case "latency-ms":
      return { ...common, fault: "latency", latencyMs: numberFlag("latency-ms", values["latency-ms"]), rate: numberFlag("rate", values.rate) ?? 1 };
    case "down":
      return { ...common, fault: "down" };
    default:
      return { ...common, fault: "poison", queue: values.poison ?? null };
  }
}

async function main(store: ChaosStore, argv: string[]): Promise<unknown> {
  const [command, ...rest] = argv;
  switch (command) {
    case "start":
      return { started: await store.start(experimentFromArgs(rest)) };
    case "list":
      return { experiments: await store.list() };
    case "stop": {
      if (rest.length === 1 && rest[0] === "--all") return { ended: await store.reset() };
      if (rest.length !== 1 || !/^exp-[0-9a-f]{8}$/.test(rest[0]!)) throw new UsageError("stop needs one experiment id (exp-1a2b3c4d) or --all");
      return { stopped: await store.stop(rest[0]!) };
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  }
}

const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
redis.on("error", () => undefined);
try {
  await redis.connect().catch((error: Error) => {
    throw new Error(`Redis is unreachable at ${env.REDIS_URL} (${error.message}). Is Switchyard running? Start it with: npm start`);
  });
  console.log(JSON.stringify(await main(new ChaosStore(redis, env.REDIS_PREFIX), process.argv.slice(2))));
} catch (error) {
  if (error instanceof UsageError || (error instanceof TypeError && "code" in error)) fail(2, `${error.message}\n${USAGE}`);
  if (error instanceof ZodError) fail(2, `${describeZodError(error)}\n${USAGE}`);
  if (error instanceof AppError && error.code === "NOT_FOUND") fail(2, error.message);
  fail(1, error instanceof Error ? error.message : String(error));
} finally {
  redis.disconnect();
}

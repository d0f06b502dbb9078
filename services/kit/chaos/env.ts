import { z } from "zod";
import { CommonEnv, parseEnv } from "../env.ts";

/** Where the chaos agent reads experiments (the same Redis and prefix as the queues). */
export function chaosEnv() {
  return parseEnv(z.object({ REDIS_URL: CommonEnv.REDIS_URL, REDIS_PREFIX: CommonEnv.REDIS_PREFIX }));
}

import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import { createApiKey, findApiKey } from "../../services/gateway/auth/keys.ts";
import { localApiKeyPath } from "../../server/gateway/client.ts";
import type { SystemConfig } from "./config.ts";
import { ROOT_DIR } from "./processes.ts";

/** Where the launcher keeps the local key for the dashboard and the CLI (gitignored, mode 0600). */
export function apiKeyFile(prefix: string): string {
  return localApiKeyPath(ROOT_DIR, prefix);
}

/** The local API key and whether it was created just now (then it is shown to the user once). */
export type LocalApiKey = { key: string; file: string; created: boolean };

/**
 * The key the dashboard and the CLI use. Reused while its hash is still in Redis; otherwise (first
 * start, or Redis was flushed) a new one is created — only its hash goes to Redis — and written
 * to `.switchyard/api-key.<prefix>` like any local credentials file.
 */
export async function ensureApiKey(config: SystemConfig): Promise<LocalApiKey> {
  const file = apiKeyFile(config.redisPrefix);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const saved = (await readFile(file, "utf8").catch(() => "")).trim();
    if (saved && (await findApiKey(redis, config.redisPrefix, saved))) return { key: saved, file, created: false };
    const { key } = await createApiKey(redis, config.redisPrefix, "local (dashboard and CLI)");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${key}\n`, { mode: 0o600 });
    return { key, file, created: true };
  } finally {
    await redis.quit();
  }
}

/** The lines the launcher prints about the key: the key itself only when it was just created. */
export function describeApiKey(local: LocalApiKey): string[] {
  const where = path.relative(process.cwd(), local.file) || local.file;
  if (!local.created) return [`API key: saved in ${where} (used by the dashboard and \`npm run order\`)`];
  return [
    "A new API key was created for the gateway. It is shown this once; only its hash is stored:",
    `  ${local.key}`,
    `Saved to ${where} for the dashboard and \`npm run order\`. Send it as \`x-api-key\`.`,
  ];
}

import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_CONFIG } from "../../scripts/launcher/test-config.ts";

/** Boots testing/boot-probe.ts with `env` and returns what its entry reported. */
function bootProbe(env: Record<string, string>): Promise<{ sdk: boolean; instrumentations: boolean; recording: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "testing/boot-probe.ts")], {
      env: { ...process.env, REDIS_URL: TEST_CONFIG.redisUrl, REDIS_PREFIX: TEST_CONFIG.redisPrefix, DISCOVERY_ENABLED: "false", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || !line) return reject(new Error(`boot probe exited ${code}: ${out}${err}`));
      resolve(JSON.parse(line));
    });
  });
}

describe("tracing mode", () => {
  it("a traced service loads the SDK and its instrumentations, and records spans", async () => {
    expect(await bootProbe({ OTEL_SDK_DISABLED: "false" })).toEqual({ sdk: true, instrumentations: true, recording: true });
  }, 30_000);

  it("OTEL_SDK_DISABLED=true loads no SDK, no hook and no instrumentation, and records nothing", async () => {
    expect(await bootProbe({ OTEL_SDK_DISABLED: "true" })).toEqual({ sdk: false, instrumentations: false, recording: false });
  }, 30_000);
});

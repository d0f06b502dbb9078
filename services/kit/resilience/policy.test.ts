import { TRPCClientError } from "@trpc/client";
import { BrokenCircuitError } from "cockatiel";
import { describe, expect, it, vi } from "vitest";
import { AppError, DependencyPolicySchema } from "../../contracts/index.ts";
import { isTransientError } from "./classify.ts";
import { ResiliencePolicy, type AttemptInfo } from "./policy.ts";
import { resolveDependencyPolicy } from "./settings.ts";

/** A tRPC error as a service answers it (what the client sees). */
function answered(appCode: string, httpStatus: number): TRPCClientError<never> {
  return new TRPCClientError(appCode, { result: { error: { code: -1, message: appCode, data: { appCode, httpStatus, code: appCode } } } } as never);
}
const networkError = () => new TRPCClientError("fetch failed", { cause: new TypeError("fetch failed") });

const FAST = DependencyPolicySchema.parse({ timeoutMs: 200, maxAttempts: 3, retryInitialDelayMs: 5, retryMaxDelayMs: 20, minimumCalls: 100 });

describe("isTransientError", () => {
  it("retries what the dependency could not do now, never what it answered", () => {
    expect(isTransientError(networkError())).toBe(true);
    expect(isTransientError(answered("UNAVAILABLE", 503))).toBe(true);
    expect(isTransientError(answered("TIMEOUT", 408))).toBe(true);
    expect(isTransientError(answered("INTERNAL", 500))).toBe(true);
    expect(isTransientError(answered("BAD_INPUT", 400))).toBe(false);
    expect(isTransientError(answered("NOT_FOUND", 404))).toBe(false);
    expect(isTransientError(answered("OUT_OF_STOCK", 409))).toBe(false);
    expect(isTransientError(new AppError("CONFLICT", "x"))).toBe(false);
    expect(isTransientError(new BrokenCircuitError())).toBe(false);
  });
});

describe("ResiliencePolicy", () => {
  it("retries a transient failure with growing, recorded delays and succeeds", async () => {
    const policy = new ResiliencePolicy("inventory", FAST);
    const seen: AttemptInfo[] = [];
    // Decorrelated jitter may draw a delay that rounds to 0 ms; a fixed draw keeps this deterministic.
    const random = vi.spyOn(Math, "random").mockReturnValue(0.5);
    const result = await policy
      .execute(async (info) => {
        seen.push(info);
        if (info.attempt < 3) throw networkError();
        return "ok";
      })
      .finally(() => random.mockRestore());
    expect(result).toBe("ok");
    expect(seen.map((i) => i.attempt)).toEqual([1, 2, 3]);
    expect(seen[0]!.delayMs).toBe(0);
    expect(seen[1]!.delayMs).toBeGreaterThan(0);
    expect(seen[2]!.delayMs).toBeGreaterThan(0);
  });

  it("does not retry a business outcome", async () => {
    const policy = new ResiliencePolicy("inventory", FAST);
    let attempts = 0;
    const error = await policy.execute(async () => {
      attempts += 1;
      throw answered("NOT_FOUND", 404);
    }).catch((e: unknown) => e);
    expect(attempts).toBe(1);
    expect((error as TRPCClientError<never>).message).toBe("NOT_FOUND");
  });

  it("gives up after maxAttempts and rethrows the last error", async () => {
    const policy = new ResiliencePolicy("inventory", FAST);
    let attempts = 0;
    await expect(policy.execute(async () => {
      attempts += 1;
      throw answered("UNAVAILABLE", 503);
    })).rejects.toThrow("UNAVAILABLE");
    expect(attempts).toBe(3);
  });

  it("times an attempt out, aborts its signal and retries", async () => {
    const policy = new ResiliencePolicy("inventory", { ...FAST, timeoutMs: 30 });
    const aborted: boolean[] = [];
    const result = await policy.execute(async (info) => {
      if (info.attempt === 1) {
        await new Promise((resolve) => info.signal.addEventListener("abort", resolve, { once: true }));
        aborted.push(info.signal.aborted);
        return "too late";
      }
      return "second";
    });
    expect(result).toBe("second");
    expect(aborted).toEqual([true]);
  });

  it("stops retrying once the breaker opens, and reports the rejected attempt", async () => {
    const policy = new ResiliencePolicy("payment", { ...FAST, minimumCalls: 2, maxAttempts: 5 });
    const rejected: number[] = [];
    let attempts = 0;
    const error = await policy.execute(async () => {
      attempts += 1;
      throw networkError();
    }, { onRejected: (info) => rejected.push(info.attempt) }).catch((e: unknown) => e);
    expect(attempts).toBe(2);
    expect(rejected).toEqual([3]);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(policy.breaker.state).toBe("open");
  });
});

describe("resolveDependencyPolicy", () => {
  it("fills defaults, applies built-ins and caller overrides, and rejects bad values", () => {
    expect(resolveDependencyPolicy("inventory")).toMatchObject({ timeoutMs: 2_000, maxAttempts: 3, halfOpenPermits: 3 });
    expect(resolveDependencyPolicy("payment").timeoutMs).toBe(2_500);
    expect(resolveDependencyPolicy("payment", { timeoutMs: 300 }).timeoutMs).toBe(300);
    expect(() => resolveDependencyPolicy("payment", { failureRateThreshold: 2 })).toThrow();
    expect(() => resolveDependencyPolicy("payment", { retryInitialDelayMs: 500, retryMaxDelayMs: 100 })).toThrow(/retryMaxDelayMs/);
  });
});

describe("non-idempotent mutations", () => {
  it("are retried only when the request never left", async () => {
    const policy = new ResiliencePolicy("order", FAST);
    let attempts = 0;
    await expect(policy.execute(async () => {
      attempts += 1;
      throw answered("UNAVAILABLE", 503);
    }, { isUnsafeToRepeat: true })).rejects.toThrow("UNAVAILABLE");
    expect(attempts).toBe(1);

    const refused = () => new TRPCClientError("fetch failed", { cause: new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) }) });
    attempts = 0;
    const result = await policy.execute(async () => {
      attempts += 1;
      if (attempts === 1) throw refused();
      return "placed once";
    }, { isUnsafeToRepeat: true });
    expect(result).toBe("placed once");
    expect(attempts).toBe(2);
  });
});

import { SpanKind } from "@opentelemetry/api";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { AppError } from "../contracts/index.ts";
import { toTrpcError } from "./errors.ts";
import { isBackgroundRoot } from "./sampler.ts";
import { summarizeRedisCommand } from "./telemetry.ts";
import { splitRpcPath } from "./trpc.ts";
import { isTrpcRequestUrl } from "../shared/trpc-paths.ts";

describe("isBackgroundRoot", () => {
  it("drops BullMQ polling and Prisma start-up roots", () => {
    expect(isBackgroundRoot("getNextJob order-events", SpanKind.INTERNAL)).toBe(true);
    expect(isBackgroundRoot("moveStalledJobsToWait order-events", SpanKind.INTERNAL)).toBe(true);
    expect(isBackgroundRoot("prisma:client:operation", SpanKind.INTERNAL)).toBe(true);
  });
  it("keeps entry points", () => {
    expect(isBackgroundRoot("POST", SpanKind.SERVER)).toBe(false);
    expect(isBackgroundRoot("process order-events", SpanKind.CONSUMER)).toBe(false);
    expect(isBackgroundRoot("send order-events", SpanKind.PRODUCER)).toBe(false);
  });
});

describe("summarizeRedisCommand", () => {
  it("keeps the command and short printable args, hides binary ones", () => {
    expect(summarizeRedisCommand("evalsha", ["abc", 2, "sy:q:wait", "\u0000\u0081bin", "x", "y"])).toBe(
      "evalsha abc 2 sy:q:wait ? ...(2 more)",
    );
  });
});

describe("tRPC helpers", () => {
  it("splits a procedure path into rpc.service and rpc.method", () => {
    expect(splitRpcPath("inventory.reserveStock")).toEqual({ service: "inventory", method: "reserveStock" });
  });
  it("maps an AppError cause to its tRPC code and keeps its message", () => {
    const wrapped = new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new AppError("NOT_FOUND", "unknown product x") });
    const mapped = toTrpcError(wrapped);
    expect(mapped.code).toBe("NOT_FOUND");
    expect(mapped.message).toBe("unknown product x");
  });
  it("recognises tRPC URLs so undici does not add a second client span", () => {
    expect(isTrpcRequestUrl("http://127.0.0.1:4102/trpc/inventory.reserveStock")).toBe(true);
    expect(isTrpcRequestUrl("http://127.0.0.1:4318/v1/traces")).toBe(false);
  });
});

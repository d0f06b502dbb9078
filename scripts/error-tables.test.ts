/**
 * The four error tables (one per boundary, all derived from services/contracts' ERROR_CODES) read
 * one error the same way from the service that raised it to the dashboard. Here, not beside one
 * of them: the tables live in parts that may not load each other (see .dependency-cruiser.cjs).
 */
import { TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError, ERROR_CODE_NAMES, ERROR_CODES, type ErrorCode } from "../services/contracts/index.ts";
import { toTrpcError } from "../services/kit/errors.ts";
import { toAppError } from "../services/kit/rpc-client.ts";
import { toHttpError } from "../services/gateway/http/respond.ts";
import { dashboardCodeOfService, dashboardCodeOfStatus } from "../server/routers/upstream-errors.ts";

/** Every answer as it was before the tables were derived; a change here is a change of the API. */
const EXPECTED: Record<ErrorCode, { trpc: string; backFromTrpc: ErrorCode; http: number; dashboard: string }> = {
  BAD_INPUT: { trpc: "BAD_REQUEST", backFromTrpc: "BAD_INPUT", http: 400, dashboard: "BAD_REQUEST" },
  NOT_FOUND: { trpc: "NOT_FOUND", backFromTrpc: "NOT_FOUND", http: 404, dashboard: "NOT_FOUND" },
  OUT_OF_STOCK: { trpc: "CONFLICT", backFromTrpc: "CONFLICT", http: 409, dashboard: "CONFLICT" },
  CONFLICT: { trpc: "CONFLICT", backFromTrpc: "CONFLICT", http: 409, dashboard: "CONFLICT" },
  UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", backFromTrpc: "UNAVAILABLE", http: 503, dashboard: "SERVICE_UNAVAILABLE" },
  TIMEOUT: { trpc: "TIMEOUT", backFromTrpc: "TIMEOUT", http: 504, dashboard: "TIMEOUT" },
  INTERNAL: { trpc: "INTERNAL_SERVER_ERROR", backFromTrpc: "INTERNAL", http: 502, dashboard: "BAD_GATEWAY" },
};

/** A failed call as the tRPC client sees a service's answer (`appCode` from the kit's formatter). */
function answered(data: { code: string; appCode?: string }): TRPCClientError<never> {
  return new TRPCClientError("refused", { result: { error: { code: -32603, message: "refused", data } } } as never);
}

describe("error tables, service to dashboard", () => {
  afterEach(() => vi.restoreAllMocks());

  it("covers every code of the list, and only those", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ERROR_CODE_NAMES].sort());
  });

  for (const code of ERROR_CODE_NAMES) {
    it(`reads ${code} the same at every boundary`, () => {
      vi.spyOn(console, "error").mockImplementation(() => {});
      const expected = EXPECTED[code];
      const thrown = toTrpcError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new AppError(code, "refused") }));
      expect(thrown.code).toBe(expected.trpc);
      // The RPC client: the code itself with the formatter's appCode, the wider code without it.
      expect(toAppError(answered({ code: thrown.code, appCode: code }), "svc").code).toBe(code);
      expect(toAppError(answered({ code: thrown.code }), "svc").code).toBe(expected.backFromTrpc);
      const edge = toHttpError(new AppError(code, "refused"));
      expect([edge.status, edge.code]).toEqual([expected.http, code]);
      expect(ERROR_CODES[code].http).toBe(expected.http);
      // The dashboard: the same answer whether the error came through the gateway or straight from a service.
      expect(dashboardCodeOfStatus(edge.status)).toBe(expected.dashboard);
      expect(dashboardCodeOfService({ code: thrown.code, appCode: code })).toBe(expected.dashboard);
      expect(dashboardCodeOfService({ code: thrown.code })).toBe(expected.dashboard);
    });
  }

  it("keeps the answers about the request the gateway gives itself, and calls the rest a bad gateway", () => {
    expect([413, 429, 500, 405, 200].map(dashboardCodeOfStatus)).toEqual(["PAYLOAD_TOO_LARGE", "TOO_MANY_REQUESTS", "BAD_GATEWAY", "BAD_GATEWAY", "BAD_GATEWAY"]);
    expect(dashboardCodeOfService({ code: "METHOD_NOT_SUPPORTED" })).toBe("BAD_GATEWAY");
    expect(toAppError(answered({ code: "PAYLOAD_TOO_LARGE" }), "svc").code).toBe("INTERNAL");
  });
});

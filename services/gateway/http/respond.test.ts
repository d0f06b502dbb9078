import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../../contracts/index.ts";
import { GatewayHttpError, toHttpError } from "./respond.ts";

const SQL_TEXT = 'duplicate key value violates unique constraint "Order_pkey": INSERT INTO "Order" (id) VALUES ($1)';

describe("toHttpError", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers an unexpected error and an upstream INTERNAL one with a ref only, and logs the full error with it", () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const cases: [unknown, number][] = [[new Error(SQL_TEXT), 500], [new AppError("INTERNAL", `at /srv/services/order/db.ts: ${SQL_TEXT}`), 502]];
    for (const [error, status] of cases) {
      const answer = toHttpError(error);
      expect(answer.status).toBe(status);
      expect(answer.code).toBe("INTERNAL");
      expect(answer.message).toMatch(/^internal error \(ref [0-9a-f]{8}\)$/);
      const ref = /ref (\w+)/.exec(answer.message)![1]!;
      expect(logged.mock.calls.some(([line, logError]) => String(line).includes(ref) && logError === error)).toBe(true);
    }
  });

  it("keeps deliberate answers as they are", () => {
    expect(toHttpError(new AppError("OUT_OF_STOCK", "only 2 left"))).toMatchObject({ status: 409, code: "OUT_OF_STOCK", message: "only 2 left" });
    const own = new GatewayHttpError(400, "BAD_INPUT", "quantity: too small");
    expect(toHttpError(own)).toBe(own);
  });
});

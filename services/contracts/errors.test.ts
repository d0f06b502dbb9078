import { describe, expect, it } from "vitest";
import { ERROR_CODE_NAMES, ERROR_CODES, errorCodeBy, errorTable, isErrorCode, type ErrorCodeInfo } from "./errors.ts";

const info = (code: string): ErrorCodeInfo => ERROR_CODES[code as keyof typeof ERROR_CODES];

describe("ERROR_CODES, the one list the error tables derive from", () => {
  it("gives every code a value at every boundary", () => {
    for (const field of ["trpc", "http", "retryable"] as const) {
      expect(Object.keys(errorTable(field))).toEqual(ERROR_CODE_NAMES);
      expect(Object.values(errorTable(field)).every((value) => value !== undefined)).toBe(true);
    }
  });

  it("reads each code back from its tRPC code and from its HTTP status; a refinement as the code it refines", () => {
    for (const field of ["trpc", "http"] as const) {
      const back = errorCodeBy(field);
      for (const code of ERROR_CODE_NAMES) expect(back.get(info(code)[field]), `${field} of ${code}`).toBe(info(code).refines ?? code);
      // No two codes but a refinement share a value: the way back is never a guess.
      expect(back.size).toBe(ERROR_CODE_NAMES.filter((code) => !info(code).refines).length);
    }
  });

  it("refines only a code with the same tRPC code, status and retry class", () => {
    for (const code of ERROR_CODE_NAMES) {
      const wider = info(code).refines;
      if (wider === undefined) continue;
      expect(isErrorCode(wider)).toBe(true);
      expect(info(wider).refines).toBeUndefined();
      expect({ ...info(wider), refines: wider }).toEqual(info(code));
    }
  });

  it("retries exactly the codes the gateway answers with a 5xx (the dependency's fault, not the request's)", () => {
    for (const code of ERROR_CODE_NAMES) expect(info(code).retryable, code).toBe(info(code).http >= 500);
  });

  it("recognises the codes and nothing else", () => {
    expect(ERROR_CODE_NAMES.every(isErrorCode)).toBe(true);
    for (const value of ["conflict", "toString", "__proto__", "", 404, null, undefined]) expect(isErrorCode(value)).toBe(false);
  });
});

import { TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { ERROR_CODE_NAMES, ERROR_CODES, errorCodeBy, isErrorCode, type ErrorCode } from "../../services/contracts/index.ts";
import { GatewayRequestError } from "../gateway/client.ts";

type DashboardCode = TRPCError["code"];

/**
 * The one table of what the dashboard answers when something behind it failed, by the error code
 * of contracts' ERROR_CODES: the caller's mistakes, refusals and timeouts keep the services' own
 * tRPC code; INTERNAL is BAD_GATEWAY (the fault is behind the dashboard, not in the request).
 */
export const DASHBOARD_CODE_BY_APP_CODE = Object.fromEntries(
  ERROR_CODE_NAMES.map((code) => [code, code === "INTERNAL" ? "BAD_GATEWAY" : ERROR_CODES[code].trpc]),
) as Readonly<Record<ErrorCode, DashboardCode>>;

/** The gateway's answers about the request itself, which no service raises (its error shape's codes). */
const GATEWAY_OWN_CODES: ReadonlyMap<number, DashboardCode> = new Map([
  [413, "PAYLOAD_TOO_LARGE"],
  [429, "TOO_MANY_REQUESTS"],
]);

const APP_CODE_BY_STATUS = errorCodeBy("http");
const APP_CODE_BY_TRPC_CODE = errorCodeBy("trpc");

/** The dashboard code for a gateway answer's status (the public API's contract); anything else is BAD_GATEWAY. */
export function dashboardCodeOfStatus(status: number): DashboardCode {
  const appCode = APP_CODE_BY_STATUS.get(status);
  return appCode ? DASHBOARD_CODE_BY_APP_CODE[appCode] : (GATEWAY_OWN_CODES.get(status) ?? "BAD_GATEWAY");
}

/** The dashboard code for a service's tRPC answer: its `appCode` if it sent one, else its tRPC code. */
export function dashboardCodeOfService(data: { appCode?: unknown; code?: unknown }): DashboardCode {
  const appCode = isErrorCode(data.appCode) ? data.appCode : APP_CODE_BY_TRPC_CODE.get(String(data.code));
  return appCode ? DASHBOARD_CODE_BY_APP_CODE[appCode] : "BAD_GATEWAY";
}

/** Runs a gateway call and turns its failure into a TRPCError the browser can show. */
export async function callGateway<T>(baseUrl: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof GatewayRequestError)) throw error;
    if (error.status === 0) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: `The gateway is unreachable at ${baseUrl}`, cause: error });
    if (error.status === 401 || error.status === 403) {
      throw new TRPCError({ code: "PRECONDITION_FAILED", message: `The gateway refused the dashboard's API key (${error.message}); restart with \`npm start\` to create a new one.`, cause: error });
    }
    throw new TRPCError({ code: dashboardCodeOfStatus(error.status), message: error.detail, cause: error });
  }
}

/**
 * Runs a call to another service and turns its failure into a TRPCError the browser can show:
 * an unreachable service is SERVICE_UNAVAILABLE, any other answer reads as in the table, with the
 * service's message (BAD_GATEWAY says which service failed).
 */
export async function callService<T>(what: string, baseUrl: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as { appCode?: unknown; code?: unknown } | undefined;
    if (!data) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: `The ${what} is unreachable at ${baseUrl}`, cause: error });
    const code = dashboardCodeOfService(data);
    const message = code === "BAD_GATEWAY" ? `The ${what} failed: ${error.message}` : error.message;
    throw new TRPCError({ code, message, cause: error });
  }
}

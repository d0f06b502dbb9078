/**
 * Next.js proxy (Next 16's name for middleware): runs before every route, pages, API and assets
 * alike (no `matcher`), and refuses requests whose Host is not the dashboard's: loopback names
 * and env `ALLOWED_HOSTS`. See server/routers/host-guard.ts for why.
 */
import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "./server/env.ts";
import { refuseMisdirectedRequest } from "./server/routers/host-guard.ts";
import { allowedHostList } from "./services/shared/host-allow-list.ts";

let allowedHosts: readonly string[] | undefined;

/** Refuses a foreign Host with 421; everything else goes on to its route. */
export function proxy(request: NextRequest): Response {
  allowedHosts ??= allowedHostList(getEnv().ALLOWED_HOSTS);
  return refuseMisdirectedRequest(request, allowedHosts) ?? NextResponse.next();
}

/** No matcher: a rebound page must not get even the HTML or scripts of the dashboard. */
export const config = {};

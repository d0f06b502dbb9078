import { isHostAllowed, MISDIRECTED_STATUS, misdirectedMessage } from "../../services/shared/host-allow-list.ts";

/**
 * DNS rebinding guard of the dashboard (pages and API), run by the root `proxy.ts` before routing.
 * The same-origin check (same-origin.ts) cannot catch a rebound page: to the browser it *is* same
 * origin. Only the Host header tells. Null when `req` may go on; otherwise the 421 answer: in
 * tRPC's JSON error shape under `/api/` (so a client shows the message), plain text for pages.
 */
export function refuseMisdirectedRequest(req: Request, allowedHosts: readonly string[]): Response | null {
  const host = req.headers.get("host");
  if (isHostAllowed(host, allowedHosts)) return null;
  const message = misdirectedMessage(host);
  if (new URL(req.url).pathname.startsWith("/api/")) {
    return Response.json(
      { error: { message, code: -32003, data: { code: "FORBIDDEN", httpStatus: MISDIRECTED_STATUS } } },
      { status: MISDIRECTED_STATUS },
    );
  }
  return new Response(`${message}\n`, {
    status: MISDIRECTED_STATUS,
    headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
  });
}

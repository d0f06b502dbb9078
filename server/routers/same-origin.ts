/**
 * Cross-site request guard for the dashboard API. State changes are tRPC mutations, which tRPC only
 * accepts as POST; a POST is refused unless the browser says it comes from this origin. Browsers
 * send `Sec-Fetch-Site` on every request (only `same-origin` passes: a page on another port of
 * the same host is `same-site`, and for a local tool that is another application). Clients that
 * send no `Sec-Fetch-Site` but an `Origin` must match the Host. Non-browser clients (CLI, tests)
 * send neither and pass: they are not the cross-site threat.
 */
export function isCrossSiteWrite(req: Request): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const site = req.headers.get("sec-fetch-site");
  if (site) return site !== "same-origin";
  const origin = req.headers.get("origin");
  if (!origin) return false;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    // `Origin: null` (sandboxed frames, some redirects) or garbage: not provably ours.
    return true;
  }
}

/** The answer to a refused request: 403 in tRPC's JSON error shape, so the client shows the message. */
export function crossSiteRefusal(): Response {
  const message = "Cross-site request refused: state-changing calls must come from the dashboard's own pages";
  return Response.json(
    { error: { message, code: -32003, data: { code: "FORBIDDEN", httpStatus: 403 } } },
    { status: 403 },
  );
}

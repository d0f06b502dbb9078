import { z } from "zod";

/**
 * Host allow-list against DNS rebinding: a page on `http://evil.example:3000` whose name an attacker
 * re-points at 127.0.0.1 reaches our loopback servers as same-origin, but its requests still carry
 * `Host: evil.example:3000`. Every HTTP entry point (services, gateway, collector, dashboard) answers
 * only Host values on its list; loopback names are always on it, other names come from
 * `ALLOWED_HOSTS`.
 *
 * Our own rather than `host-validation-middleware` (Vite's): that one lets every IP literal and a
 * missing Host through, and compares case- and trailing-dot-sensitively; we want a closed list that
 * matches the way browsers and DNS treat names. Pure (no Node imports) so the dashboard's Next.js
 * proxy can use it as well.
 */

/** The env var that extends the list (comma-separated host names, no ports). */
export const ALLOWED_HOSTS_ENV = "ALLOWED_HOSTS";

/** Always allowed, on any port: loopback names an attacker's page can never be served under. */
export const LOOPBACK_HOSTS: readonly string[] = ["127.0.0.1", "localhost", "[::1]"];

/** Addresses that mean "every interface" when bound to; never a name a client connects to. */
const WILDCARD_BIND_HOSTS = new Set(["", "0.0.0.0", "::", "[::]"]);

/** A host name or IPv4 literal, or a bracketed IPv6 literal; an optional `:port`. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/;

/**
 * The host part of a Host header value: lower-cased, without port and trailing dot, IPv6 kept in
 * brackets (`[::1]:3000` -> `[::1]`). Null when the value is not a well-formed host[:port].
 */
export function hostnameOf(hostHeader: string): string | null {
  const match = HOST_HEADER.exec(hostHeader.trim().toLowerCase());
  if (!match) return null;
  const [, host = "", port] = match;
  if (port !== undefined && Number(port) > 65_535) return null;
  // `localhost.` is the same name as `localhost` (fully qualified), so it must match the same entry.
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  return name.length > 0 && !name.startsWith(".") ? name : null;
}

/**
 * An allow-list entry in the form `hostnameOf` produces: lower-case, no trailing dot, IPv6 in
 * brackets (`::1` -> `[::1]`). A leading dot (`.example.com`) stays: it allows the name and every
 * subdomain. Null for something that is not a host name (a port, a URL, spaces).
 */
export function normalizeAllowedHost(entry: string): string | null {
  const trimmed = entry.trim().toLowerCase();
  const wildcard = trimmed.startsWith(".");
  const bare = wildcard ? trimmed.slice(1) : trimmed;
  // An IPv6 literal has at least two colons; anything else with a colon carries a port.
  const isBareIpv6 = !bare.startsWith("[") && (bare.match(/:/g) ?? []).length >= 2;
  const host = isBareIpv6 ? `[${bare}]` : bare;
  // A port in an entry would be silently ignored by the match: refuse it instead.
  const hasPort = host.startsWith("[") ? !host.endsWith("]") : host.includes(":");
  const name = hasPort ? null : hostnameOf(host);
  if (!name) return null;
  return wildcard ? `.${name}` : name;
}

/**
 * True when `hostHeader` names one of `allowed` (any port). `allowed` is {@link allowedHostList}'s
 * output, normalised once at start-up, so a request costs one parse of its own Host. A missing or
 * malformed Host is refused: every browser sends one, so only a client we cannot place would omit it.
 */
export function isHostAllowed(hostHeader: string | null | undefined, allowed: readonly string[]): boolean {
  if (!hostHeader) return false;
  const name = hostnameOf(hostHeader);
  if (!name) return false;
  return allowed.some((rule) => (rule.startsWith(".") ? name === rule.slice(1) || name.endsWith(rule) : name === rule));
}

/**
 * The list a server checks: loopback, the configured `ALLOWED_HOSTS`, and the host it binds to
 * when that is a specific name or address (not a wildcard like 0.0.0.0).
 */
export function allowedHostList(extra: readonly string[] = [], bindHost?: string): readonly string[] {
  const bound = bindHost !== undefined && !WILDCARD_BIND_HOSTS.has(bindHost.trim()) ? [bindHost] : [];
  const entries = [...LOOPBACK_HOSTS, ...extra, ...bound].map(normalizeAllowedHost);
  return Object.freeze([...new Set(entries.filter((entry): entry is string => entry !== null))]);
}

/** HTTP status of a refused Host: the request reached a server that does not serve that name. */
export const MISDIRECTED_STATUS = 421;

/** The refusal's text: which host was refused and which env var lets it in. */
export function misdirectedMessage(hostHeader: string | null | undefined): string {
  const name = hostHeader ? hostnameOf(hostHeader) : null;
  if (!hostHeader) return `Request refused: no Host header. Send one of the allowed hosts (see ${ALLOWED_HOSTS_ENV}).`;
  if (!name) return `Request refused: malformed Host header. Send one of the allowed hosts (see ${ALLOWED_HOSTS_ENV}).`;
  return `Request refused: host "${name}" is not allowed (DNS rebinding guard). To serve it, set ${ALLOWED_HOSTS_ENV}=${name} (comma-separated list of names).`;
}

/** `ALLOWED_HOSTS` as it arrives in the environment: a comma-separated list, each a valid host name. */
export const AllowedHostsSchema = z
  .string()
  .default("")
  .transform((value) => value.split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0))
  .pipe(
    z.array(
      z.string().refine((entry) => normalizeAllowedHost(entry) !== null, {
        error: "not a host name (give names or IP addresses without scheme or port, e.g. order,my-box.lan)",
      }),
    ),
  );

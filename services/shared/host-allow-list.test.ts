import { describe, expect, it } from "vitest";
import { allowedHostList, AllowedHostsSchema, hostnameOf, isHostAllowed, misdirectedMessage, normalizeAllowedHost } from "./host-allow-list.ts";

const DEFAULTS = allowedHostList();

describe("hostnameOf", () => {
  it("drops the port and the trailing dot, lower-cases, keeps IPv6 brackets", () => {
    expect(hostnameOf("LocalHost:3000")).toBe("localhost");
    expect(hostnameOf("localhost.")).toBe("localhost");
    expect(hostnameOf("localhost.:3000")).toBe("localhost");
    expect(hostnameOf("[::1]:3000")).toBe("[::1]");
    expect(hostnameOf("[::1]")).toBe("[::1]");
    expect(hostnameOf("127.0.0.1:4100")).toBe("127.0.0.1");
  });
  it("refuses what is not host[:port]", () => {
    for (const bad of ["", " ", "::1", "[::1", "a b", "localhost:99999", "localhost:", "evil.example/x", "user@localhost", ".", "http://localhost"]) {
      expect(hostnameOf(bad), bad).toBeNull();
    }
  });
});

describe("isHostAllowed", () => {
  it("allows loopback names on any port by default", () => {
    for (const host of ["127.0.0.1", "127.0.0.1:3000", "localhost", "localhost:4101", "LOCALHOST:3000", "localhost.:3000", "[::1]", "[::1]:3000"]) {
      expect(isHostAllowed(host, DEFAULTS), host).toBe(true);
    }
  });
  it("refuses a rebound name, look-alikes, a missing and a malformed Host", () => {
    for (const host of ["evil.example", "evil.example:3000", "localhost.evil.example", "127.0.0.1.evil.example", "127.0.0.2", "[::2]:3000", "0.0.0.0:3000", "", "[::1", "localhost:3000:1"]) {
      expect(isHostAllowed(host, DEFAULTS), host).toBe(false);
    }
    expect(isHostAllowed(undefined, DEFAULTS)).toBe(false);
    expect(isHostAllowed(null, DEFAULTS)).toBe(false);
  });
  it("allows configured names (case and trailing dot ignored) and subdomains of a leading-dot entry", () => {
    const allowed = allowedHostList(["Order", "my-box.lan.", ".example.test", "::ffff:7f00:1"]);
    expect(isHostAllowed("order:4002", allowed)).toBe(true);
    expect(isHostAllowed("MY-BOX.lan:3000", allowed)).toBe(true);
    expect(isHostAllowed("example.test", allowed)).toBe(true);
    expect(isHostAllowed("a.b.example.test:80", allowed)).toBe(true);
    expect(isHostAllowed("[::ffff:7f00:1]:3000", allowed)).toBe(true);
    expect(isHostAllowed("notexample.test", allowed)).toBe(false);
    expect(isHostAllowed("orders:4002", allowed)).toBe(false);
  });
});

describe("allowedHostList", () => {
  it("adds the bind host when it is specific, never a wildcard address", () => {
    expect(allowedHostList([], "box.lan")).toContain("box.lan");
    expect(allowedHostList([], "0.0.0.0")).toEqual(DEFAULTS);
    expect(allowedHostList([], "::")).toEqual(DEFAULTS);
  });
});

describe("ALLOWED_HOSTS", () => {
  it("parses a comma-separated list and rejects ports, URLs and blanks inside names", () => {
    expect(AllowedHostsSchema.parse(undefined)).toEqual([]);
    expect(AllowedHostsSchema.parse(" order, inventory ,,")).toEqual(["order", "inventory"]);
    for (const bad of ["order:4002", "http://order", "my box"]) expect(AllowedHostsSchema.safeParse(bad).success, bad).toBe(false);
    expect(normalizeAllowedHost("[::1]:3000")).toBeNull();
  });
  it("names the env var in the refusal", () => {
    expect(misdirectedMessage("evil.example:3000")).toContain("ALLOWED_HOSTS=evil.example");
    expect(misdirectedMessage(undefined)).toContain("no Host header");
  });
});

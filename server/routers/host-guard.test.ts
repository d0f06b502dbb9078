import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "../../proxy.ts";
import { allowedHostList } from "../../services/shared/host-allow-list.ts";
import { refuseMisdirectedRequest } from "./host-guard.ts";

const ALLOWED = allowedHostList(["my-box.lan"]);
const request = (url: string, host?: string, init: RequestInit = {}) =>
  new Request(url, { ...init, headers: { ...(host === undefined ? {} : { host }), ...(init.headers as Record<string, string>) } });

describe("refuseMisdirectedRequest", () => {
  it("lets loopback and configured hosts through", () => {
    for (const host of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "my-box.lan:3000"]) {
      expect(refuseMisdirectedRequest(request("http://127.0.0.1:3000/", host), ALLOWED), host).toBeNull();
    }
  });

  it("refuses a DNS-rebound page and its API calls, even when the browser calls them same-origin", async () => {
    const page = refuseMisdirectedRequest(request("http://evil.example:3000/chaos", "evil.example:3000"), ALLOWED);
    expect(page?.status).toBe(421);
    expect(await page?.text()).toContain("ALLOWED_HOSTS=evil.example");
    const mutation = refuseMisdirectedRequest(
      request("http://evil.example:3000/api/trpc/chaos.start", "evil.example:3000", { method: "POST", headers: { "sec-fetch-site": "same-origin" } }),
      ALLOWED,
    );
    expect(mutation?.status).toBe(421);
    // The API answers in tRPC's error shape so a tRPC client shows the message.
    expect(((await mutation?.json()) as { error: { message: string } }).error.message).toContain("ALLOWED_HOSTS");
  });

  it("refuses a request without Host", () => {
    expect(refuseMisdirectedRequest(request("http://127.0.0.1:3000/"), ALLOWED)?.status).toBe(421);
  });
});

describe("proxy.ts", () => {
  it("runs on every path (no matcher) and refuses a foreign Host before any route", async () => {
    expect(config).not.toHaveProperty("matcher");
    const refused = await proxy(new NextRequest("http://evil.example:3000/api/trpc/breakers.list", { headers: { host: "evil.example:3000" } }));
    expect(refused.status).toBe(421);
    const passed = await proxy(new NextRequest("http://127.0.0.1:3000/", { headers: { host: "127.0.0.1:3000" } }));
    expect(passed.status).toBe(200);
    expect(passed.headers.get("x-middleware-next")).toBe("1");
  });
});

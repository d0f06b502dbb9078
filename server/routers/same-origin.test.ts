import { describe, expect, it } from "vitest";
import { crossSiteRefusal, isCrossSiteWrite } from "./same-origin.ts";

const post = (headers: Record<string, string>) =>
  new Request("http://127.0.0.1:3000/api/trpc/chaos.reset", { method: "POST", headers: { host: "127.0.0.1:3000", ...headers } });

describe("isCrossSiteWrite", () => {
  it("lets reads through whatever their origin", () => {
    const get = new Request("http://127.0.0.1:3000/api/trpc/chaos.list", { headers: { "sec-fetch-site": "cross-site" } });
    expect(isCrossSiteWrite(get)).toBe(false);
  });
  it("accepts a POST from the dashboard's own pages", () => {
    expect(isCrossSiteWrite(post({ "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:3000" }))).toBe(false);
    expect(isCrossSiteWrite(post({ origin: "http://127.0.0.1:3000" }))).toBe(false);
  });
  it("refuses a POST from another site or another port of the same host", () => {
    expect(isCrossSiteWrite(post({ "sec-fetch-site": "cross-site", origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteWrite(post({ "sec-fetch-site": "same-site", origin: "http://127.0.0.1:3001" }))).toBe(true);
    expect(isCrossSiteWrite(post({ origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteWrite(post({ origin: "null" }))).toBe(true);
  });
  it("lets non-browser clients (no Origin, no Sec-Fetch-Site) through", () => {
    expect(isCrossSiteWrite(post({}))).toBe(false);
  });
  it("answers 403 in tRPC's error shape", async () => {
    const response = crossSiteRefusal();
    expect(response.status).toBe(403);
    expect((await response.json()) as unknown).toMatchObject({ error: { data: { code: "FORBIDDEN", httpStatus: 403 } } });
  });
});

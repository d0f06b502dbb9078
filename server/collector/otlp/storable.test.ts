import { describe, expect, it } from "vitest";
import { MAX_DEPTH, REDACTED, REPLACED_STRINGS_KEY, makeSpanStorable, redactUrl, storableText, type CleanableSpan } from "./storable.ts";
import { truncateText } from "../../../services/contracts/text.ts";
import type { AttrValue } from "../../store/types.ts";

const span = (attributes: CleanableSpan["attributes"]): CleanableSpan => ({ name: "GET /v2/orders", statusMessage: "", attributes, events: [], links: [] });

describe("storable strings", () => {
  it("replaces lone surrogates and NUL with U+FFFD and keeps well-formed text (pairs included) as it is", () => {
    expect(storableText("a\ud800b")).toBe("a\ufffdb");
    expect(storableText("\udc00")).toBe("\ufffd");
    expect(storableText("nul\0")).toBe("nul\ufffd");
    const emoji = "ok \ud83d\ude00";
    expect(storableText(emoji)).toBe(emoji);
  });

  it("counts each replaced string on the span, keys included, and cuts values nested too deep", () => {
    let deep: AttrValue = "bottom";
    for (let i = 0; i < MAX_DEPTH + 5; i++) deep = [deep];
    const s = span({ "a\ud800": "x", b: ["\0", "fine"], deep });
    s.events.push({ name: "e\udfff", attributes: {} });
    makeSpanStorable(s);
    expect(Object.keys(s.attributes)).toContain("a\ufffd");
    expect(s.attributes.b).toEqual(["\ufffd", "fine"]);
    expect(JSON.stringify(s.attributes.deep)).toMatch(/nested deeper than 32 levels/);
    expect(s.events[0]!.name).toBe("e\ufffd");
    expect(s.attributes[REPLACED_STRINGS_KEY]).toBe(4);
  });

  it("adds no counter to a clean span", () => {
    const s = span({ "http.route": "/v2/orders" });
    makeSpanStorable(s);
    expect(s.attributes).toEqual({ "http.route": "/v2/orders" });
  });
});

describe("credential redaction (semantic conventions: url.query, url.full, http.request.header.*)", () => {
  it("redacts credential query parameters and userinfo, keeps the rest", () => {
    expect(redactUrl("api_key=sy_secret&limit=5")).toBe(`api_key=${REDACTED}&limit=5`);
    expect(redactUrl("http://u:p@127.0.0.1:4200/v2/orders?Signature=abc&sig=1&x=2#f")).toBe(
      `http://${REDACTED}:${REDACTED}@127.0.0.1:4200/v2/orders?Signature=${REDACTED}&sig=${REDACTED}&x=2#f`,
    );
    expect(redactUrl("/v2/orders?token=t&password=p&keyboard=1")).toBe(`/v2/orders?token=${REDACTED}&password=${REDACTED}&keyboard=1`);
    expect(redactUrl("/plain/path")).toBe("/plain/path");
  });

  it("redacts URL attributes and secret headers on the span", () => {
    const s = span({
      "url.query": "api_key=sy_abc",
      "url.full": "http://127.0.0.1/x?key=k",
      "http.target": "/x?access_token=t",
      "http.request.header.authorization": ["Bearer abc"],
      "http.request.header.x_api_key": "sy_abc",
      "http.request.header.accept": ["*/*"],
    });
    makeSpanStorable(s);
    expect(s.attributes).toEqual({
      "url.query": `api_key=${REDACTED}`,
      "url.full": `http://127.0.0.1/x?key=${REDACTED}`,
      "http.target": `/x?access_token=${REDACTED}`,
      "http.request.header.authorization": [REDACTED],
      "http.request.header.x_api_key": REDACTED,
      "http.request.header.accept": ["*/*"],
    });
  });
});

describe("truncateText", () => {
  it("never cuts inside a surrogate pair", () => {
    const text = "ab\ud83d\ude00cd";
    expect(truncateText(text, 3)).toBe("ab");
    expect(truncateText(text, 4)).toBe("ab\ud83d\ude00");
    expect(truncateText(text, 10)).toBe(text);
    expect(storableText(truncateText(text, 3))).toBe("ab");
  });
});

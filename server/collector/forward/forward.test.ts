import { describe, expect, it } from "vitest";
import { ForwardBuffer, type ForwardItem } from "./buffer.ts";
import { backoffMs, parseRetryAfter } from "./forwarder.ts";
import { parseOtlpHeaders } from "./env.ts";
import { hasChangedSpans } from "./payload.ts";
import { isOwnEndpoint } from "./index.ts";
import type { StoredSpan } from "../../store/types.ts";

const item = (spans: number, bytes = 10): ForwardItem => ({ body: new Uint8Array(bytes), contentType: "application/x-protobuf", spans });

describe("ForwardBuffer", () => {
  it("drops the oldest items until a new one fits, by spans and by bytes", () => {
    const buffer = new ForwardBuffer({ maxSpans: 10, maxBytes: 100 });
    const [a, b, c] = [item(4), item(4), item(4)];
    expect(buffer.push(a)).toEqual({ items: 0, spans: 0 });
    buffer.push(b);
    expect(buffer.push(c)).toEqual({ items: 1, spans: 4 });
    expect([buffer.shift(), buffer.shift(), buffer.shift()]).toEqual([b, c, undefined]);
    const bytes = new ForwardBuffer({ maxSpans: 1000, maxBytes: 100 });
    bytes.push(item(1, 60));
    expect(bytes.push(item(1, 60))).toEqual({ items: 1, spans: 1 });
    expect([bytes.length, bytes.bytes, bytes.spans]).toEqual([1, 60, 1]);
  });

  it("refuses an item larger than the whole buffer without dropping the others", () => {
    const buffer = new ForwardBuffer({ maxSpans: 10, maxBytes: 100 });
    buffer.push(item(5));
    expect(buffer.push(item(11))).toEqual({ items: 1, spans: 11 });
    expect(buffer.spans).toBe(5);
  });

  it("puts a retried item back in front, or drops it when newer items took the room", () => {
    const buffer = new ForwardBuffer({ maxSpans: 10, maxBytes: 100 });
    const [old, next] = [item(6), item(4)];
    buffer.push(old);
    const taken = buffer.shift()!;
    buffer.push(next);
    expect(buffer.unshift(taken)).toEqual({ items: 0, spans: 0 });
    expect(buffer.shift()).toBe(old);
    buffer.push(item(6));
    expect(buffer.unshift(old)).toEqual({ items: 1, spans: 6 });
  });
});

describe("retry timing", () => {
  it("backs off exponentially up to the maximum", () => {
    const half = () => 0.5;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 100, 1000, half))).toEqual([75, 150, 300, 600]);
    expect(backoffMs(20, 100, 1000, () => 1)).toBe(1000);
  });

  it("reads Retry-After as seconds or as a date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
  });
});

describe("SWITCHYARD_FORWARD_OTLP_HEADERS", () => {
  it("parses k=v pairs like OTEL_EXPORTER_OTLP_HEADERS, percent-decoding values", () => {
    expect(parseOtlpHeaders(" Authorization=Bearer%20abc , x-scope-orgid=team=a ,")).toEqual({ authorization: "Bearer abc", "x-scope-orgid": "team=a" });
    expect(parseOtlpHeaders("")).toEqual({});
    expect(() => parseOtlpHeaders("novalue")).toThrow(/key=value/);
  });
});

describe("hasChangedSpans", () => {
  const span = (attributes: StoredSpan["attributes"], resource: StoredSpan["resource"] = {}) => ({ attributes, resource }) as StoredSpan;
  it("sees redacted and replaced values on spans and resources", () => {
    expect(hasChangedSpans([span({ "url.full": "https://x/?a=1" })])).toBe(false);
    expect(hasChangedSpans([span({ "url.full": "https://x/?token=REDACTED" })])).toBe(true);
    expect(hasChangedSpans([span({ "http.request.header.authorization": ["REDACTED"] })])).toBe(true);
    expect(hasChangedSpans([span({}, { "switchyard.ingest.replaced_strings": 1 })])).toBe(true);
  });
});

describe("isOwnEndpoint", () => {
  it("recognises the collector's own address, so forwarding cannot loop", () => {
    const own = { HOST: "127.0.0.1", PORT: 4318 };
    expect(isOwnEndpoint("http://127.0.0.1:4318/v1/traces", own)).toBe(true);
    expect(isOwnEndpoint("http://localhost:4318/v1/traces", own)).toBe(true);
    expect(isOwnEndpoint("http://127.0.0.1:14318/v1/traces", own)).toBe(false);
    expect(isOwnEndpoint("http://jaeger:4318/v1/traces", own)).toBe(false);
  });
});

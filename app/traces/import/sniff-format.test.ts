import { describe, expect, it } from "vitest";
import { sniffFormat } from "./sniff-format.ts";

describe("sniffFormat", () => {
  it("recognises OTLP JSON, in either key spelling", () => {
    expect(sniffFormat('{"resourceSpans":[{"resource":{}}]}')).toBe("otlp-json");
    expect(sniffFormat('{ "resource_spans" : [] }')).toBe("otlp-json");
  });

  it("recognises Jaeger JSON by its camel-cased ID fields", () => {
    expect(sniffFormat('{"data":[{"traceID":"5b8a","spans":[')).toBe("jaeger-json");
    expect(sniffFormat('{\n  "data": [\n    {\n      "spans": [{ "spanID": "1"')).toBe("jaeger-json");
  });

  it("says nothing about other text", () => {
    expect(sniffFormat("")).toBeNull();
    expect(sniffFormat('{"traceId":"abc"}')).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { lastLines, waitFor } from "./wait-for.ts";

describe("waitFor", () => {
  it("resolves the first value that is not undefined, null or false, and 0 counts as a value", async () => {
    const answers: unknown[] = [undefined, null, false, 0];
    await expect(waitFor("a count", () => answers.shift() as number | undefined, { intervalMs: 1 })).resolves.toBe(0);
    expect(answers).toEqual([]);
  });

  it("waits for an async probe", async () => {
    let calls = 0;
    const value = await waitFor("the third call", async () => (++calls === 3 ? "ready" : undefined), { intervalMs: 1 });
    expect([value, calls]).toEqual(["ready", 3]);
  });

  it("names the condition, the deadline and the context when it times out", async () => {
    const error = await waitFor("the moon", () => false, { timeoutMs: 20, intervalMs: 5, context: lastLines(["a", "b", "c"], 2) }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("timed out after 20 ms waiting for the moon\n--- last process output ---\nb\nc");
  });

  it("reads a number as the timeout, and stops at once when the probe throws", async () => {
    await expect(waitFor("nothing", () => undefined, 10)).rejects.toThrow(/^timed out after 10 ms waiting for nothing$/);
    await expect(waitFor("a broken probe", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  });
});

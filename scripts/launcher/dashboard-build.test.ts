import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dashboardBuildState, dashboardSourceHash } from "./dashboard-build.ts";

let root: string;

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "dashboard-build-"));
  await put("app/page.tsx", "export default function Page() { return null; }");
  await put("server/routers/app.ts", "export const x = 1;");
  await put("next.config.js", "export default {};");
  await put("services/order/flows/sync.ts", "export const y = 1;");
});

afterEach(() => rm(root, { recursive: true, force: true }));

describe("dashboard build state", () => {
  it("changes its source hash when a bundled file changes, not for tests or service code", async () => {
    const before = await dashboardSourceHash(root);
    await put("app/page.test.tsx", "test");
    await put("services/order/flows/sync.ts", "export const y = 2;");
    expect(await dashboardSourceHash(root)).toBe(before);
    await put("server/routers/app.ts", "export const x = 2;");
    const edited = await dashboardSourceHash(root);
    expect(edited).not.toBe(before);
    await put("app/new-page.tsx", "export {};");
    expect(await dashboardSourceHash(root)).not.toBe(edited);
  });

  it("is missing without a BUILD_ID, stale when the recorded hash differs, current when it matches", async () => {
    expect((await dashboardBuildState(root)).state).toBe("missing");
    await put(".next/BUILD_ID", "abc");
    expect((await dashboardBuildState(root)).state).toBe("stale");
    const { sourceHash } = await dashboardBuildState(root);
    await put(".next/switchyard-build.json", JSON.stringify({ sourceHash }));
    expect(await dashboardBuildState(root)).toEqual({ state: "current", sourceHash });
    await put("app/page.tsx", "export default function Page() { return 1; }");
    expect((await dashboardBuildState(root)).state).toBe("stale");
  });
});

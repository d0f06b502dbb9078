/**
 * The import rules of docs/architecture.md ("Parts and what they may import"), as written in
 * .dependency-cruiser.cjs: dependency-cruiser walks every TypeScript file of ours (no network,
 * about two seconds) and this test fails on any import that breaks a rule, naming each one.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cruise, type ICruiseResult, type IViolation } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Everything that imports our code; prisma/ and e2e/ import none of the parts the rules name. */
const CRUISED = ["services", "server", "app", "scripts", "bench", "tests", "proxy.ts"];

/** One line per violation: rule, importer -> imported, and the whole circle for a cycle. */
function describeViolation(violation: IViolation): string {
  const circle = violation.cycle?.map((step) => step.name).join(" -> ");
  const where = circle ? `${violation.from} -> ${circle}` : `${violation.from} -> ${violation.to}`;
  return `${violation.rule.name}: ${where}`;
}

async function cruiseTree(): Promise<ICruiseResult> {
  // dependency-cruiser resolves paths against the working directory, so run from the root.
  const previous = process.cwd();
  process.chdir(ROOT);
  try {
    const options = await extractDepcruiseOptions("./.dependency-cruiser.cjs");
    const result = await cruise(CRUISED, { ...options, validate: true }, {}, { tsConfig: extractTSConfig("./tsconfig.json") });
    if (typeof result.output === "string") throw new Error("dependency-cruiser returned a report, not a result");
    return result.output;
  } finally {
    process.chdir(previous);
  }
}

describe("architecture", () => {
  it("every import follows the layer rules, and there is no import circle", async () => {
    const result = await cruiseTree();
    // A cruise that resolved nothing would pass vacuously: make sure it saw the tree.
    expect(result.summary.totalCruised).toBeGreaterThan(300);
    // Relative imports only: a package's subpath export may need conditions the cruiser does not set.
    const unresolved = result.modules.flatMap((m) =>
      m.dependencies.filter((d) => d.couldNotResolve && d.module.startsWith(".")).map((d) => `${m.source} -> ${d.module}`),
    );
    expect(unresolved, "relative imports dependency-cruiser could not resolve").toEqual([]);
    expect(result.summary.violations.map(describeViolation)).toEqual([]);
  }, 30_000);
});

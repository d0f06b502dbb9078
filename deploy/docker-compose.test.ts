/**
 * docker-compose.yml is valid for the default services and for each profile, and each profile
 * adds what it promises. Runs `docker-compose config` (the Debian package; .ci/run installs it):
 * it parses and validates without a Docker engine, so no container is started here.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

type Run = { code: number; stdout: string; stderr: string };

function compose(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    // A clean environment: the file's own defaults, not whatever this shell exports, are checked.
    const env: NodeJS.ProcessEnv = { NODE_ENV: process.env.NODE_ENV, PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
    execFile("docker-compose", ["-f", "docker-compose.yml", ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout: string, stderr: string) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr: err && code === -1 ? `${err.message}\n${stderr}` : stderr });
    });
  });
}

const version = await compose(["version", "--short"]);
const isMissing = version.code === -1 && /ENOENT/.test(version.stderr);
if (isMissing) console.warn("docker-compose.test.ts skipped: no docker-compose binary (apt-get install -y --no-install-recommends docker-compose)");

const PROFILES: { profile: string | null; adds: string[] }[] = [
  { profile: null, adds: [] },
  { profile: "jaeger", adds: ["jaeger"] },
  { profile: "grafana", adds: ["grafana"] },
  { profile: "services", adds: ["switchyard"] },
];
const DEFAULT_SERVICES = ["postgres", "redis"];
const withProfile = (profile: string | null) => (profile ? ["--profile", profile] : []);

/**
 * Services `config` prints that run under `profile`: those without profiles, and those listing it.
 * Read from the output rather than `config --services`, which docker-compose 1.x prints whole,
 * profiles ignored. The output is docker-compose's own normalised YAML (two-space indent).
 */
function activeServices(configYaml: string, profile: string | null): string[] {
  const profiles = new Map<string, string[]>();
  let section = "";
  let service = "";
  let inProfiles = false;
  for (const line of configYaml.split("\n")) {
    if (/^\S/.test(line)) section = line.replace(/:.*$/, "");
    if (section !== "services") continue;
    const name = /^ {2}([^\s:]+):$/.exec(line);
    if (name) {
      service = name[1]!;
      profiles.set(service, []);
      continue;
    }
    if (inProfiles && /^ {4,6}- /.test(line)) profiles.get(service)!.push(line.trim().slice(2));
    else if (/^ {4}\S/.test(line)) inProfiles = line.trim() === "profiles:";
  }
  return [...profiles].filter(([, p]) => p.length === 0 || (profile !== null && p.includes(profile))).map(([s]) => s).sort();
}

describe.skipIf(isMissing)(isMissing ? "docker-compose.yml (skipped: docker-compose is not installed)" : "docker-compose.yml", () => {
  it.each(PROFILES)("is valid with profile $profile and runs redis, postgres plus $adds", { timeout: 60_000 }, async ({ profile, adds }) => {
    const check = await compose([...withProfile(profile), "config", "-q"]);
    expect(check.stderr).toBe(""); // errors and warnings (an unset variable, say) both fail
    expect(check.code).toBe(0);
    const config = await compose([...withProfile(profile), "config"]);
    expect(config.code).toBe(0);
    expect(activeServices(config.stdout, profile)).toEqual([...DEFAULT_SERVICES, ...adds].sort());
  });

  it("provisions Grafana from a data source file that exists", { timeout: 60_000 }, async () => {
    const { stdout, code } = await compose(["--profile", "grafana", "config"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/deploy\/grafana\/provisioning:\/etc\/grafana\/provisioning:ro/);
    const { readFile } = await import("node:fs/promises");
    const file = await readFile(new URL("grafana/provisioning/datasources/switchyard.yaml", import.meta.url), "utf8");
    expect(file).toMatch(/type: jaeger/);
    expect(file).toMatch(/url: http:\/\/host\.docker\.internal:16686/);
  });
});

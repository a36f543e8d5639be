import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

freshSdkBundle();

export default defineConfig({
  test: {
    // Component tests (.test.tsx) pick their DOM per file with a `@vitest-environment` comment; the rest run in node.
    include: ["packages/*/src/**/*.test.ts", "packages/*/src/**/*.test.tsx", "test/**/*.test.ts"],
    // Database and process tests share one PostgreSQL and spawn real processes: two cores, so keep
    // forks few. CI's Node 24 pass takes 3 (BATON_TEST_WORKERS): its files mostly wait on servers,
    // workers and timers, so a third fork shortens it far more than it loads the cores.
    pool: "forks",
    maxWorkers: testWorkers(process.env.BATON_TEST_WORKERS),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    // Runs log to the terminal by design; in tests that output matters only when a test fails.
    silent: "passed-only",
  },
});

function testWorkers(value: string | undefined): number {
  if (value === undefined || value === "") return 2;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BATON_TEST_WORKERS="${value}": give a whole number of test processes, 1 or more`);
  return n;
}

/**
 * "baton" resolves to the SDK's bundle (packages/sdk/scripts/bundle.mjs), built by `npm run build`
 * from dist/. After a bare `tsc -b` the bundle would be older than dist/ and every test importing
 * "baton" would run the old SDK: rebuild it first (under a second).
 */
function freshSdkBundle(): void {
  const sdk = join(fileURLToPath(new URL(".", import.meta.url)), "packages", "sdk");
  const bundle = join(sdk, "dist", "bundle");
  if (!existsSync(join(sdk, "dist", "index.js"))) return;
  const inputs = existsSync(join(bundle, "inputs.json")) ? (JSON.parse(readFileSync(join(bundle, "inputs.json"), "utf8")) as string[]) : undefined;
  const builtAt = statSync(join(bundle, "index.js"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (inputs && inputs.every((input) => (statSync(join(sdk, input), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) <= builtAt)) return;
  const built = spawnSync(process.execPath, [join(sdk, "scripts", "bundle.mjs")], { stdio: "inherit" });
  if (built.status !== 0) throw new Error("packages/sdk/scripts/bundle.mjs failed: run npm run build");
}

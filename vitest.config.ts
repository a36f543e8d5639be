import { defineConfig } from "vitest/config";

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

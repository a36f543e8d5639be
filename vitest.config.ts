import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Component tests (.test.tsx) pick their DOM per file with a `@vitest-environment` comment; the rest run in node.
    include: ["packages/*/src/**/*.test.ts", "packages/*/src/**/*.test.tsx", "test/**/*.test.ts"],
    // Database and process tests share one PostgreSQL and spawn real processes: two cores, so keep forks few.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    // Runs log to the terminal by design; in tests that output matters only when a test fails.
    silent: "passed-only",
  },
});

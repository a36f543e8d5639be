import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "vitest";
import { cleanEnv } from "../helpers/cli.js";
import { freePort, tempDir } from "../helpers/tmp.js";

const script = fileURLToPath(new URL("../../scripts/quickstart.mjs", import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

// The README's first command, minus `npm ci` and the build that `npm test` already did.
test("the quick start starts baton dev, deploys the example from a local git repository and runs it through the worker", async () => {
  const home = tempDir();
  cleanups.push(home.remove);
  const port = await freePort();
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [script, "--once"], {
      env: cleanEnv({ BATON_HOME: home.path, BATON_SERVER_PORT: String(port) }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code, output }));
  });
  expect(output).toContain(`127.0.0.1:${port}`);
  expect(output).toMatch(/Worker '.*' started on pool 'default'/);
  expect(output).toMatch(/Deployment 'etl-flow\/etl-local' created/);
  // Through the worker: it launched a process for the run, and the run's logs streamed back.
  expect(output).toMatch(/Flow run \S+ \([0-9a-f-]{36}\) launched/);
  expect(output).toMatch(/Flow run \S+ \([0-9a-f-]{36}\) process ended \(exit code 0\)/);
  expect(output).toMatch(/Loaded item: ALPHA/);
  expect(output).toMatch(/Final state: Completed/);
  expect(output).toMatch(/Completed/);
  expect(output).toMatch(/etl-flow/);
  expect(code, output).toBe(0);
});

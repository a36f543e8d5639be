import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "vitest";
import { cleanEnv, runBaton, waitFor } from "../helpers/cli.js";
import { freePort, tempDir } from "../helpers/tmp.js";

const script = fileURLToPath(new URL("../../scripts/quickstart.mjs", import.meta.url));
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function startQuickstart(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [script, ...args], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, closed, output: () => output };
}

const count = (text: string, part: string) => text.split(part).length - 1;

// The README's first command, minus `npm ci` and the build that `npm test` already did.
test("the quick start starts baton dev, deploys the example from a local git repository and runs it through the worker", async () => {
  const home = tempDir();
  cleanups.push(home.remove);
  const port = await freePort();
  const run = startQuickstart(["--once"], { BATON_HOME: home.path, BATON_SERVER_PORT: String(port) });
  const code = await run.closed;
  const output = run.output();
  expect(output).toContain(`127.0.0.1:${port}`);
  expect(output).toMatch(/Worker '.*' started on pool 'default'/);
  expect(output).toMatch(/Deployment 'etl-flow\/etl-local' created/);
  // Through the worker: it launched a process for the run, and the run's logs streamed back.
  expect(output).toMatch(/Flow run \S+ \([0-9a-f-]{36}\) launched/);
  expect(output).toMatch(/Flow run \S+ \([0-9a-f-]{36}\) process ended \(exit code 0\)/);
  // Each line once (the worker's copy of the run's output and --watch's are the same lines),
  // and read back from the server with the task run's name, not the logger's.
  expect(count(output, "Loaded item: ALPHA"), output).toBe(1);
  expect(output).toMatch(/\| INFO +\| Task run 'load-0' - Loaded item: ALPHA/);
  expect(output).toMatch(/\| INFO +\| Flow run '\S+' - Beginning flow run/);
  expect(output).toMatch(/Final state: Completed/);
  expect(output).toMatch(/etl-flow/);
  expect(code, output).toBe(0);
}, 180_000);

test("the quick start's closing hint runs the deployment again when pasted into another shell, and inspect says where the run ran", async () => {
  const home = tempDir();
  cleanups.push(home.remove);
  const port = await freePort();
  const quickstart = startQuickstart([], { BATON_HOME: home.path, BATON_SERVER_PORT: String(port) });
  cleanups.push(async () => {
    if (quickstart.child.exitCode === null) quickstart.child.kill("SIGINT");
    await quickstart.closed;
  });
  // The quick start's closing hint is its last line (baton dev prints one of its own earlier).
  const hint = await waitFor(() => /stop them\.[^\n]*\nIn another shell: (.+)$/m.exec(quickstart.output())?.[1], "the closing hint", 120_000);
  // Another shell: a different folder, nothing of the quick start's environment.
  const other = tempDir();
  cleanups.push(other.remove);
  const pasted = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn("sh", ["-c", hint], { cwd: other.path, env: cleanEnv({ BATON_HOME: home.path }), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
  expect(pasted.output).toMatch(/Final state: Completed/);
  expect(pasted.output).toMatch(/Task run 'load-0' - Loaded item: ALPHA/);
  expect(pasted.code, pasted.output).toBe(0);

  const id = /Created flow run \S+ \(([0-9a-f-]{36})\)/.exec(pasted.output)![1]!;
  const inspect = await runBaton(["flow-run", "inspect", id], { env: { BATON_API_URL: `http://127.0.0.1:${port}/api` } });
  expect(inspect.stdout).toMatch(/Deployment:\s+etl-flow\/etl-local/);
  expect(inspect.stdout).toMatch(/Work pool:\s+default/);
  expect(inspect.stdout).toMatch(/Worker:\s+dev-/);
  expect(inspect.stdout).toMatch(/Commit:\s+[0-9a-f]{40}/);
  expect(inspect.code, inspect.stderr).toBe(0);
}, 240_000);

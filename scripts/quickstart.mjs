#!/usr/bin/env node
// The README's quick start: `baton dev` (a Baton server on SQLite and a process worker on pool
// "default"), the example project in examples/etl made into a git repository of its own,
// deployed with `baton deploy` and run through the worker with `baton deployment run --watch`.
// `--once` stops everything at the end (tests, CI); without it server and worker keep running.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createConnection } from "node:net";
import { fileURLToPath } from "node:url";
import { makeRepository } from "./example-repository.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const baton = fileURLToPath(new URL("../packages/cli/bin/baton.js", import.meta.url));
const once = process.argv.includes("--once");
const host = "127.0.0.1";
const port = Number(process.env.BATON_SERVER_PORT ?? 4200);
const apiUrl = `http://${host}:${port}/api`;

const say = (text) => console.log(`\n\u001b[1m==> ${text}\u001b[0m`);

function portTaken() {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port }, () => { socket.destroy(); resolve(true); });
    socket.on("error", () => resolve(false));
  });
}

function run(args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [baton, ...args], { cwd, stdio: "inherit", env: { ...process.env, BATON_API_URL: apiUrl } });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

if (await portTaken()) {
  console.error(`Port ${port} on ${host} is taken (another Baton server?). Stop it, or choose another port: BATON_SERVER_PORT=4300 npm run quickstart`);
  process.exit(1);
}

say(`Starting baton dev: the server on ${host}:${port} (SQLite in $BATON_HOME) and a process worker on pool "default"`);
const dev = spawn(process.execPath, [baton, "dev", "--port", String(port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
let devOutput = "";
// The worker copies each run's own output, prefixed "[run-name] ", and `--watch` prints the
// same lines as the server recorded them: in one terminal every line would appear twice, so
// the worker's copy is left out here (`baton dev` in a shell of its own still shows it).
const RUN_OUTPUT = /^\[[^\]\s]+\] /;
for (const stream of [dev.stdout, dev.stderr]) {
  let partial = "";
  stream.on("data", (d) => {
    devOutput += d;
    const lines = (partial + d).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (!RUN_OUTPUT.test(line)) process.stdout.write(`${line}\n`);
  });
}
const stop = () => new Promise((resolve) => { if (dev.exitCode !== null) return resolve(); dev.once("close", resolve); dev.kill("SIGTERM"); });
process.on("SIGINT", async () => { await stop(); process.exit(130); });

async function waitForWorker() {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (dev.exitCode !== null) throw new Error(`baton dev exited with code ${dev.exitCode}; see its output above`);
    if (/Worker '.*' started on pool 'default'/.test(devOutput)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error("the worker did not start within 60 s");
}

let code = 1;
let repo;
try {
  await waitForWorker();
  repo = makeRepository();
  say(`Made a git repository of examples/etl in ${repo.work} (origin: ${repo.origin})`);
  say("Deploying it: baton deploy (no pull section: runs clone the checkout's origin at its branch)");
  code = await run(["deploy"], repo.work);
  if (code === 0) {
    say("Running it through the worker: baton deployment run etl-flow/etl-local --watch");
    code = await run(["deployment", "run", "etl-flow/etl-local", "--watch"], repo.work);
    say("The server recorded it: baton flow-run ls");
    await run(["flow-run", "ls", "--limit", "5"], repo.work);
  }
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
}

if (once) {
  await stop();
  if (repo) rmSync(repo.dir, { recursive: true, force: true });
  process.exit(code);
}
say(`Server and worker keep running at ${apiUrl} (API docs: ${apiUrl}/docs). Press Ctrl-C to stop them.`);
// Pasted anywhere: `npx baton` resolves to this checkout's CLI only from inside it.
console.log(`In another shell: cd '${root.replace(/\/$/, "")}' && export BATON_API_URL=${apiUrl} && npx baton deployment run etl-flow/etl-local --param limit=4 --watch`);
await new Promise((resolve) => dev.once("close", resolve));
if (repo) rmSync(repo.dir, { recursive: true, force: true });

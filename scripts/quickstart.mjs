#!/usr/bin/env node
// The README's quick start: a Baton server on SQLite, the example flow run against it, and its
// record read back through the command line. `--once` stops the server at the end (tests, CI);
// without it the server keeps running so you can keep using it.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createConnection } from "node:net";

const root = fileURLToPath(new URL("..", import.meta.url));
const baton = fileURLToPath(new URL("../packages/cli/bin/baton.js", import.meta.url));
const once = process.argv.includes("--once");
const host = process.env.BATON_SERVER_HOST ?? "127.0.0.1";
const port = Number(process.env.BATON_SERVER_PORT ?? 4200);
const apiUrl = `http://${host}:${port}/api`;

const say = (text) => console.log(`\n\u001b[1m==> ${text}\u001b[0m`);

function portTaken() {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port }, () => { socket.destroy(); resolve(true); });
    socket.on("error", () => resolve(false));
  });
}

function run(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [baton, ...args], { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

async function waitReady(server) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}; see its output above`);
    try {
      const res = await fetch(`${apiUrl}/ready`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the server did not answer ${apiUrl}/ready within 30 s`);
}

if (await portTaken()) {
  console.error(`Port ${port} on ${host} is taken (another Baton server?). Stop it, or choose another port: BATON_SERVER_PORT=4300 npm run quickstart`);
  process.exit(1);
}

say(`Starting the Baton server on ${host}:${port} (SQLite in \$BATON_HOME)`);
const server = spawn(process.execPath, [baton, "server", "start", "--host", host, "--port", String(port)], { cwd: root, stdio: "inherit" });
const stop = () => new Promise((resolve) => { if (server.exitCode !== null) return resolve(); server.once("close", resolve); server.kill("SIGTERM"); });
process.on("SIGINT", async () => { await stop(); process.exit(130); });

let code = 1;
try {
  await waitReady(server);
  say("Running the example flow: baton run examples/etl/flows/etl.ts:etlFlow --param limit=2");
  code = await run(["run", "examples/etl/flows/etl.ts:etlFlow", "--param", "limit=2"], { BATON_API_URL: apiUrl });
  say("The server recorded it: baton flow-run ls");
  await run(["flow-run", "ls", "--limit", "5"], { BATON_API_URL: apiUrl });
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
}

if (once) {
  await stop();
  process.exit(code);
}
say(`The server keeps running at ${apiUrl} (API docs: ${apiUrl}/docs). Press Ctrl-C to stop it.`);
console.log(`In another shell: export BATON_API_URL=${apiUrl}; npx baton flow-run ls`);
await new Promise((resolve) => server.once("close", resolve));

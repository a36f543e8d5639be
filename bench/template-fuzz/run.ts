// bench/template-fuzz: every route that parses `{{ }}` templates, fed strings made to make a
// placeholder parser backtrack, against a real `baton server start` (its own process, auth on).
// Each request must be answered (never a 5xx) within BENCH_BOUND_MS; the figures are the
// slowest answer per route and size. Also, in this process, the old placeholder pattern on the
// same kind of input, to show what the scanner replaced.
// Run by hand: `npm run build && npx tsx bench/template-fuzz/run.ts`
// (BENCH_SIZES=1000,8000,60000, BENCH_RANDOM=200 random strings per route, BENCH_BOUND_MS=2000,
// BENCH_DATABASES=sqlite).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { scanPlaceholders } from "@baton/core";
import { adversarialTemplateStrings } from "../../test/helpers/adversarial-templates.js";
import { testApiKey } from "../../test/helpers/api-key.js";
import { createTestDatabase, type DatabaseKind } from "../../test/helpers/databases.js";
import { freePort, tempDir } from "../../test/helpers/tmp.js";

const SIZES = (process.env.BENCH_SIZES ?? "1000,8000,60000").split(",").map(Number);
const RANDOM = Number(process.env.BENCH_RANDOM ?? 200);
const BOUND_MS = Number(process.env.BENCH_BOUND_MS ?? 2000);
const DATABASES = (process.env.BENCH_DATABASES ?? "sqlite").split(",") as DatabaseKind[];
const baton = fileURLToPath(new URL("../../packages/cli/bin/baton.js", import.meta.url));

/** Random strings over the characters a placeholder is made of: a fuzz beside the crafted cases. */
function randomTemplate(size: number, seed: number): string {
  const alphabet = ["{", "{", "}", "}", " ", " ", "\t", "\n", "a", "$", ".", "_", "-", "{{", "}}", "{{ ", " }}"];
  let x = seed * 2654435761 || 1;
  let out = "";
  while (out.length < size) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += alphabet[Math.abs(x) % alphabet.length];
  }
  return out.slice(0, size);
}

type Send = (value: string) => Promise<Response>;

async function benchOne(kind: DatabaseKind) {
  const db = await createTestDatabase(kind);
  const home = tempDir("baton-template-fuzz-");
  const port = await freePort();
  const api = `http://127.0.0.1:${port}/api`;
  const key = testApiKey();
  const env = { ...process.env, BATON_HOME: home.path, BATON_SERVER_BOOTSTRAP_API_KEY: key, BATON_SERVER_LOG_LEVEL: "warn", NO_COLOR: "1" };
  const server = spawn(process.execPath, [baton, "server", "start", "--port", String(port), "--database-url", db.url], { env, stdio: ["ignore", "ignore", "inherit"] });
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${api}${path}`, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${api}/ready`).catch(() => undefined))?.ok) break;
      if (i > 600) throw new Error("the server did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
    const template = (value: string) => ({ job_configuration: { command: "baton flow-run execute", env: "{{ env }}", note: value }, variables: { properties: { env: { type: "object" } } } });
    await call("POST", "/work_pools", { name: "fuzz", type: "process" });
    const deployment = await (await call("POST", "/deployments", { flow_name: "fuzz", name: "fuzz", entrypoint: "flows/f.ts:f", work_pool_name: "fuzz", enforce_parameter_schema: false })).json();
    const deploymentId = deployment.deployment.id as string;
    let poolNumber = 0;
    const routes: Record<string, Send> = {
      "POST /work_pools/check_template": (v) => call("POST", "/work_pools/check_template", { base_job_template: template(v) }),
      "POST /work_pools": (v) => call("POST", "/work_pools", { name: `fuzz-${poolNumber++}`, type: "process", base_job_template: template(v) }),
      "PATCH /work_pools/:name": (v) => call("PATCH", "/work_pools/fuzz", { base_job_template: template(v) }),
      "POST /deployments (job_variables, pull_steps)": (v) =>
        call("POST", "/deployments", { flow_name: "fuzz", name: "fuzz", entrypoint: "flows/f.ts:f", work_pool_name: "fuzz", enforce_parameter_schema: false, job_variables: { env: { A: v } }, pull_steps: [{ run_shell_script: { script: v } }] }),
      "GET /deployments/:id/job_configuration (preview)": async (v) => {
        await call("POST", "/deployments", { flow_name: "fuzz", name: "fuzz", entrypoint: "flows/f.ts:f", work_pool_name: "fuzz", enforce_parameter_schema: false, job_variables: { env: { A: v } } });
        return call("GET", `/deployments/${deploymentId}/job_configuration`);
      },
      "POST /deployments/:id/runs (job_variables)": (v) => call("POST", `/deployments/${deploymentId}/runs`, { job_variables: { env: { A: v } } }),
    };
    const rows: string[] = [];
    let failures = 0;
    for (const [route, send] of Object.entries(routes)) {
      for (const size of SIZES) {
        const inputs = [...Object.values(adversarialTemplateStrings(size)), ...Array.from({ length: RANDOM }, (_, i) => randomTemplate(size, i + 1))];
        let slowest = 0;
        const statuses = new Map<number, number>();
        for (const input of inputs) {
          const started = performance.now();
          const answer = await send(input);
          await answer.arrayBuffer();
          const ms = performance.now() - started;
          slowest = Math.max(slowest, ms);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status >= 500 || ms > BOUND_MS) {
            failures++;
            console.error(`FAIL ${route} size ${size}: ${answer.status} in ${ms.toFixed(0)} ms`);
          }
        }
        const counts = [...statuses].map(([s, n]) => `${s}x${n}`).join(" ");
        rows.push(`| ${kind} | ${route} | ${size} | ${inputs.length} | ${slowest.toFixed(1)} ms | ${counts} |`);
      }
    }
    console.log(`\n| database | route | string size | requests | slowest answer | statuses |\n|---|---|---|---|---|---|\n${rows.join("\n")}`);
    console.log(failures === 0 ? `\nall answered under ${BOUND_MS} ms, no 5xx` : `\n${failures} requests over ${BOUND_MS} ms or 5xx`);
    return failures;
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    await db.drop();
    home.remove();
  }
}

function compareWithOldPattern() {
  const old = /\{\{\s*([^{}]*?)\s*\}\}/g;
  console.log("\n| input: `{{` + n spaces + `}` | old pattern | scanner |\n|---|---|---|");
  for (const n of [500, 1000, 2000]) {
    const text = `{{${" ".repeat(n)}}`;
    let t = performance.now();
    [...text.matchAll(old)];
    const oldMs = performance.now() - t;
    t = performance.now();
    scanPlaceholders(text);
    console.log(`| ${n} | ${oldMs.toFixed(1)} ms | ${(performance.now() - t).toFixed(2)} ms |`);
  }
  const big = `{{${" ".repeat(60_000)}}`;
  const t = performance.now();
  scanPlaceholders(big);
  console.log(`| 60000 | (not run: hours) | ${(performance.now() - t).toFixed(2)} ms |`);
}

compareWithOldPattern();
let failed = 0;
for (const kind of DATABASES) failed += await benchOne(kind);
process.exit(failed === 0 ? 0 : 1);

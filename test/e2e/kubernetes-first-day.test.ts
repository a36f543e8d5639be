/*
 * deploy/kubernetes/README.md's first-day block, run line by line as written against a real
 * `baton server start` (authentication on) and the real CLI: `kubectl exec deploy/baton-server --`
 * becomes a command on the server's database, the port-forward is the server's own port, the
 * Secret the worker reads is the key the block printed, and the worker's rollout is a real
 * `baton worker start` of the kubernetes type (its cluster the API test server, through $KUBECONFIG).
 * What it proves: the steps work with the roles as they are (the worker's key cannot create pools).
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BATON_BIN, cleanEnv, startBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from "../helpers/databases.js";
import { startKubeApiServer, type KubeApiServer } from "../helpers/kube-api-server/index.js";
import { freePort, tempDir } from "../helpers/tmp.js";

const README = fileURLToPath(new URL("../../deploy/kubernetes/README.md", import.meta.url));
const KEY = /^\s*(bat_[A-Za-z0-9_-]{43})\s*$/m;

/** The lines of the block that starts with "# first day", comments and blank lines left out. */
function firstDayLines(): string[] {
  const text = readFileSync(README, "utf8");
  const block = /```sh\n# first day[^\n]*\n([\s\S]*?)```/.exec(text);
  if (!block) throw new Error("deploy/kubernetes/README.md has no ```sh block starting with '# first day'");
  return block[1]!.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter((l) => l && !l.startsWith("#"));
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("close", resolve));
}

function sh(line: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  // `baton` as the README's reader has it on PATH.
  const script = `baton() { "${process.execPath}" "${BATON_BIN}" "$@"; }\n${line}`;
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", script], { cwd, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe.each(DATABASE_KINDS)("the Kubernetes README's first day on %s", (kind) => {
  let db: TestDatabase;
  let kube: KubeApiServer;
  let server: (ChildProcess & { output(): string }) | undefined;
  let worker: (ChildProcess & { output(): string }) | undefined;
  const home = tempDir("baton-k8s-day1-");
  let apiUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    kube = await startKubeApiServer();
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}/api`;
    server = startBaton(["server", "start", "--port", String(port), "--database-url", db.url], { env: { BATON_HOME: join(home.path, "server") } });
    await waitFor(() => server!.output().includes("listening") || server!.exitCode !== null, "the server to start", 120_000);
    expect(server.exitCode, server.output()).toBeNull();
  }, 150_000);

  afterAll(async () => {
    await stop(worker);
    await stop(server);
    await kube?.close();
    await db?.drop();
    home.remove();
  });

  test("an admin key from a server pod, the pool and a worker key through the API, and the worker finds its pool", async () => {
    const kubeconfig = join(home.path, "kubeconfig");
    writeFileSync(kubeconfig, JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "test", cluster: { server: kube.url, "insecure-skip-tls-verify": true } }],
      users: [{ name: "test", user: { token: "test-token" } }],
      contexts: [{ name: "test", context: { cluster: "test", user: "test", namespace: "baton" } }],
      "current-context": "test",
    }));
    const env: Record<string, string> = { BATON_HOME: join(home.path, "laptop") };
    let lastKey: string | undefined;
    let workerKey: string | undefined;
    const lines = firstDayLines();
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      if (line.startsWith("kubectl -n baton exec deploy/baton-server -- ")) {
        // In the pod, the server's own environment names the database.
        const result = await sh(line.replace("kubectl -n baton exec deploy/baton-server -- ", ""), home.path, { BATON_HOME: join(home.path, "pod"), BATON_SERVER_DATABASE_URL: db.url });
        expect(result.code, `${line}\n${result.output}`).toBe(0);
        lastKey = KEY.exec(result.output)?.[1];
      } else if (/^kubectl .*port-forward/.test(line)) {
        continue;
      } else if (line.startsWith("export ")) {
        expect(line).toContain("BATON_API_URL=");
        env.BATON_API_URL = apiUrl;
        if (line.includes("BATON_API_KEY=")) env.BATON_API_KEY = lastKey!;
      } else if (line.startsWith("kubectl -n baton create secret generic baton-worker")) {
        workerKey = lastKey;
      } else if (line === "kubectl -n baton rollout restart deploy/baton-worker") {
        expect(workerKey, "a key for the worker's Secret").toBeDefined();
        worker = startBaton(["worker", "start", "--pool", "kubernetes", "--type", "kubernetes", "--name", "baton-worker"], {
          env: { BATON_HOME: join(home.path, "worker"), BATON_API_URL: apiUrl, BATON_API_KEY: workerKey!, KUBECONFIG: kubeconfig },
        });
        await waitFor(() => /started on pool 'kubernetes'/.test(worker!.output()) || worker!.exitCode !== null, "the worker to start", 60_000);
        expect(worker.exitCode, worker.output()).toBeNull();
      } else if (line.startsWith("kubectl ")) {
        throw new Error(`the test does not know how to play: ${line}`);
      } else {
        const result = await sh(line, home.path, env);
        expect(result.code, `${line}\n${result.output}`).toBe(0);
        lastKey = KEY.exec(result.output)?.[1] ?? lastKey;
      }
    }
    expect(worker, "the block starts the worker").toBeDefined();
    const headers = { authorization: `Bearer ${env.BATON_API_KEY}` };
    const pool = (await (await fetch(`${apiUrl}/work_pools/kubernetes`, { headers })).json()) as { base_job_template: { variables: { properties: { namespace: { default: string } } } } };
    expect(pool.base_job_template.variables.properties.namespace.default).toBe("baton");
    const who = (await (await fetch(`${apiUrl}/auth/whoami`, { headers: { authorization: `Bearer ${workerKey}` } })).json()) as { role: string };
    expect(who.role).toBe("worker");
  }, 240_000);
});

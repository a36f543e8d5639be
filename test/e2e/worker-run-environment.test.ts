/*
 * What a deployer can make a process run read of its worker: nothing but the listed environment.
 * A deployer key (what CI holds) writes deployments whose command is a shell script probing the
 * run's environment and /proc/<worker pid>/environ; the worker is a real one in its own process,
 * started as an admin would (its key in BATON_API_KEY, a profile in BATON_HOME, server settings
 * and a host secret in its environment). The probe exits non-zero so its output becomes the
 * run's Crashed message, which the test reads through the API.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BatonClient } from "baton";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBaton, startBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const POOL = "isolated";
const HOST_SECRET = "host-only-0c9f3e2a71";
const DB_URL = "postgresql://baton:db-password-5d1e@127.0.0.1:1/baton";
const RUN_SECRET = "run-secret-7a41b9d2c8";

describe.each(DATABASE_KINDS)("a process run on %s", (kind) => {
  let t: TestServer;
  let deployer: BatonClient;
  let worker: WorkerProcess;
  beforeAll(async () => {
    t = await startTestServer(kind);
    const { key } = await t.client.call("createApiKey", { body: { name: "ci", role: "deployer" } });
    deployer = new BatonClient({ apiUrl: t.apiUrl, apiKey: key });
    await t.client.call("setSecret", { params: { name: "api-token" }, body: { value: RUN_SECRET, work_pools: ["*"] } });
    // The admin's profile, as `baton login` leaves it: a run must never be pointed at it.
    writeFileSync(join(t.home.path, "profiles.toml"), `active = "default"\n[profiles.default]\nBATON_API_URL = "${t.apiUrl}"\nBATON_API_KEY = "${t.apiKey}"\n`);
    worker = startWorkerProcess(
      t,
      { pool: POOL, type: "process", pollWaitSeconds: 2, allowEnv: ["APP_*"] },
      { BATON_SERVER_DATABASE_URL: DB_URL, HOST_SECRET, APP_REGION: "eu-west-3", LANG: "C.UTF-8", TZ: "Europe/Paris" },
    );
    await worker.waitForEvent("started");
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await deployer?.close();
    await t?.close();
  });

  /** A deployment by the deployer key whose run is `sh -c SCRIPT`, and the message of its run once Crashed. */
  const crashedMessage = async (name: string, jobVariables: Record<string, unknown>, pool = POOL): Promise<string> => {
    const { deployment } = await deployer.call("upsertDeployment", {
      body: { flow_name: "probe", name, entrypoint: "flows/probe.ts:probe", pull_steps: [], work_pool_name: pool, job_variables: jobVariables },
    });
    const run = await deployer.call("runDeployment", { params: { id: deployment.id }, body: { parameters: {} } });
    const done = await waitForState(deployer, run.id, ["CRASHED", "COMPLETED", "FAILED"]);
    expect(done.state_type).toBe("CRASHED");
    return done.state.message ?? "";
  };
  const sh = (script: string) => `sh -c '${script}; exit 3'`;

  test("gets a listed environment: its own HOME and TMPDIR, locale and time zone, its own token; never the worker's key, profile, server settings or host variables", async () => {
    const message = await crashedMessage("env", {
      command: sh('env | cut -d= -f1 | sort | tr "\\n" " "; echo; echo "HOME=$HOME TMPDIR=$TMPDIR PWD=$PWD LANG=$LANG TZ=$TZ"'),
    });
    const names = message.split("\n").find((l) => l.includes("BATON_FLOW_RUN_ID"))!.trim().split(" ");
    expect(names).toEqual(expect.arrayContaining(["PATH", "HOME", "TMPDIR", "LANG", "TZ", "BATON_API_URL", "BATON_API_KEY", "BATON_FLOW_RUN_ID", "BATON_WORKER_NAME", "BATON_WORKER_PID", "BATON_DEPLOYMENT_NAME"]));
    for (const kept of ["BATON_HOME", "BATON_SERVER_DATABASE_URL", "HOST_SECRET", "APP_REGION", "WORKER_OPTIONS", "BATON_API_AUTH_STRING"]) expect(names).not.toContain(kept);
    expect(message).toMatch(/HOME=\/\S+\/baton-run-\w+\/home TMPDIR=\/\S+\/baton-run-\w+\/tmp PWD=\/\S+\/baton-run-\w+\/work LANG=C\.UTF-8 TZ=Europe\/Paris/);
    expect(message).not.toContain(t.home.path);
  });

  test("cannot read the worker's key from /proc/<worker pid>/environ, nor any of the worker's own environment", async () => {
    const message = await crashedMessage("proc", {
      command: sh('tr "\\0" "\\n" < /proc/$BATON_WORKER_PID/environ | grep -E "^(BATON_API_KEY|HOST_SECRET|BATON_HOME)="'),
    });
    expect(message).not.toContain(t.apiKey);
    // The entry is still there, its value erased.
    expect(message).toMatch(/^BATON_API_KEY=$/m);
  });

  test("{{ $NAME }} reads only what the worker's admin allowed, and never the worker's key", async () => {
    const key = await crashedMessage("dollar-key", { env: { K: "{{ $BATON_API_KEY }}" }, command: sh('echo "K=$K"') });
    expect(key).toContain("EnvNotAllowed: job_configuration.env.K reads {{ $BATON_API_KEY }}: BATON_API_KEY is the worker's own credential");
    expect(key).not.toContain(t.apiKey);
    const host = await crashedMessage("dollar-host", { env: { H: "{{ $HOST_SECRET }}" }, command: sh('echo "H=$H"') });
    expect(host).toContain("EnvNotAllowed: job_configuration.env.H reads {{ $HOST_SECRET }}, which this worker does not allow");
    expect(host).not.toContain(HOST_SECRET);
    const database = await crashedMessage("dollar-db", { working_dir: "/tmp/{{ $BATON_SERVER_DATABASE_URL }}", command: sh("pwd") });
    expect(database).toContain("never given to a run");
    expect(database).not.toContain("db-password");
    // What the admin allowed (APP_*) does reach the run.
    const allowed = await crashedMessage("dollar-allowed", { env: { REGION: "{{ $APP_REGION }}" }, command: sh('echo "REGION=$REGION"') });
    expect(allowed).toContain("REGION=eu-west-3");
  });

  test("a secret outside env is refused before the run starts, so it never reaches the command line; in env it does, and the Crashed message masks it", async () => {
    const argv = await crashedMessage("secret-argv", { command: sh("echo {{ baton.secrets.api-token }}") });
    expect(argv).toContain("SecretOutsideEnv: job_configuration.command ({{ baton.secrets.api-token }})");
    expect(argv).toContain("Move it to env");
    expect(argv).not.toContain(RUN_SECRET);
    const env = await crashedMessage("secret-env", { env: { TOKEN: "{{ baton.secrets.api-token }}" }, command: sh('echo "token is $TOKEN"') });
    expect(env).toContain("token is ****");
    expect(env).not.toContain(RUN_SECRET);
  });

  test("baton worker start: --allow-env is the admin's list, refuses the worker's key, and the started CLI's /proc environ no longer holds its key", async () => {
    const env = { BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey, BATON_HOME: t.home.path };
    const refused = await runBaton(["worker", "start", "--pool", "cli-pool", "--type", "process", "--allow-env", "BATON_API_KEY"], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("InvalidEnvAllowList: BATON_API_KEY can never be given to a run");
    const cli = startBaton(["worker", "start", "--pool", "cli-pool", "--type", "process", "--allow-env", "APP_*"], { env: { ...env, APP_REGION: "ap-south-1" } });
    try {
      await waitFor(() => /Worker '.*' started on pool 'cli-pool'/.test(cli.output()), "the CLI worker to start", 30_000);
      const environ = readFileSync(`/proc/${cli.pid}/environ`, "latin1");
      expect(environ).not.toContain(t.apiKey);
      expect(environ).toContain("APP_REGION=ap-south-1");
      const allowed = await crashedMessage("cli-allowed", { env: { REGION: "{{ $APP_REGION }}" }, command: sh('echo "REGION=$REGION"') }, "cli-pool");
      expect(allowed).toContain("REGION=ap-south-1");
    } finally {
      cli.kill("SIGTERM");
      await new Promise((resolve) => (cli.exitCode !== null ? resolve(null) : cli.once("close", resolve)));
    }
    // A key read from the profile file is as readable to a process run (same OS user): the worker says so.
    const fromProfile = startBaton(["worker", "start", "--pool", "cli-pool", "--type", "process"], { env: { BATON_HOME: t.home.path } });
    try {
      await waitFor(() => /started on pool 'cli-pool'/.test(fromProfile.output()), "the CLI worker to start", 30_000);
      expect(fromProfile.output()).toContain(`Warning: the worker's key comes from profile "default" in ${t.home.path}, a file its process runs can read`);
    } finally {
      fromProfile.kill("SIGTERM");
      await new Promise((resolve) => (fromProfile.exitCode !== null ? resolve(null) : fromProfile.once("close", resolve)));
    }
  });
});

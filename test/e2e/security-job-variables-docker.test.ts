/*
 * A deployer is not root (issue 20, item 2), on a Docker pool: what a CI pipeline's `deployer` key
 * may set in job_variables, checked by the server on deploy and on run, and what the worker
 * refuses to give a container whatever the job configuration says, against a real dockerd.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FlowRun } from "@baton/core";
import type { BatonClient } from "baton";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBaton, startBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { dockerUnavailableReason, startDockerEngine, type DockerEngine } from "../helpers/docker-engine.js";
import { tempDir } from "../helpers/tmp.js";
import { makeProject } from "./deploy-project.js";
import { clientWithRole, createPool, refusal } from "./pool-templates.js";
import { startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const IMAGE = "local/busybox:latest";
// The engine runs without a bridge: containers get no network unless a pool says otherwise.
const POOL_DEFAULTS = { image: IMAGE, network_mode: "none", command: "sh -c 'echo ran; exit 0'" };

const unavailable = dockerUnavailableReason();

describe.skipIf(unavailable)(`a deployer's job variables on a Docker pool${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  let engine: DockerEngine;
  beforeAll(async () => {
    engine = await startDockerEngine();
    engine.importBusybox(IMAGE);
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
  });
  const socketPath = () => engine.host.slice("unix://".length);
  const containersOf = (flowRunId: string) =>
    engine.docker(["ps", "-a", "--filter", `label=io.baton.flow-run-id=${flowRunId}`, "--format", "{{.Names}}"]).split("\n").filter(Boolean);

  describe.each(DATABASE_KINDS)("%s", (kind) => {
    let t: TestServer;
    let deployer: BatonClient;
    let strict: WorkerProcess;
    let trusted: WorkerProcess;
    beforeAll(async () => {
      t = await startTestServer(kind);
      // The pool's admin kept the default locks: the deployer may choose the image and the command, not the host's access.
      await createPool(t, "docker-pool", "docker", { defaults: POOL_DEFAULTS });
      // An admin who trusts this pool's deployers with the host unlocked it; its worker still decides.
      await createPool(t, "open-pool", "docker", { defaults: POOL_DEFAULTS, unlock: ["privileged", "volumes", "network_mode"] });
      await createPool(t, "cli-pool", "docker", { defaults: { ...POOL_DEFAULTS, auto_remove: false }, unlock: ["volumes"] });
      await createPool(t, "trusted-pool", "docker", { defaults: { ...POOL_DEFAULTS, auto_remove: false }, unlock: ["privileged", "volumes"] });
      deployer = await clientWithRole(t, "ci-pipeline", "deployer");
      const env = { DOCKER_HOST: engine.host };
      strict = startWorkerProcess(t, { pool: "open-pool", type: "docker", pollWaitSeconds: 1 }, env);
      trusted = startWorkerProcess(t, { pool: "trusted-pool", type: "docker", pollWaitSeconds: 1, hostAccess: { privileged: true, hostMounts: true } }, env);
      await Promise.all([strict.waitForEvent("started"), trusted.waitForEvent("started")]);
    }, 120_000);
    afterAll(async () => {
      await strict?.stop();
      await trusted?.stop();
      await deployer?.close();
      await t?.close();
    });

    const deploy = (client: BatonClient, pool: string, name: string, jobVariables: Record<string, unknown>) =>
      client.call("upsertDeployment", { body: { flow_name: "attack", name, entrypoint: "flows/x.ts:x", pull_steps: [], work_pool_name: pool, job_variables: jobVariables } });
    const runOf = async (client: BatonClient, deploymentId: string, jobVariables: Record<string, unknown> = {}): Promise<FlowRun> =>
      client.call("runDeployment", { params: { id: deploymentId }, body: { parameters: {}, job_variables: jobVariables } });

    test("a deployer's key cannot set privileged, host volumes, the host network or a key file of the worker's host: 403 naming the variable and the fix, nothing written", async () => {
      const attacks: Record<string, unknown>[] = [
        { privileged: true },
        { volumes: ["/:/host"] },
        { volumes: ["/var/run/docker.sock:/var/run/docker.sock"] },
        { network_mode: "host" },
        { git_ssh_key_path: "/etc/shadow" },
        { git_known_hosts_path: "/root/.baton/profiles.toml" },
      ];
      for (const [i, vars] of attacks.entries()) {
        const error = await refusal(deploy(deployer, "docker-pool", `attack-${i}`, { image: IMAGE, ...vars }));
        const name = Object.keys(vars)[0]!;
        expect(error.status).toBe(403);
        expect(error.code).toBe("JobVariableLocked");
        expect(error.message).toContain(`body.job_variables.${name}: "${name}" is locked by work pool "docker-pool"'s admin`);
        expect(error.message).toContain("remove it from job_variables");
      }
      const page = await deployer.call("listDeployments", { query: { work_pool_name: "docker-pool", limit: 50 } });
      expect(page.items).toEqual([]);

      // The same variables on one run of a deployment the deployer may make: refused too, no run made.
      const { deployment } = await deploy(deployer, "docker-pool", "harmless", { image: IMAGE });
      for (const vars of attacks) expect((await refusal(runOf(deployer, deployment.id, vars))).status).toBe(403);
      const runs = await deployer.call("listFlowRuns", { query: { deployment_id: deployment.id, limit: 50 } });
      expect(runs.items).toEqual([]);
    });

    test("values are checked against the pool's variables schema on deploy and on run: 422 naming the variable, its value and what it must be", async () => {
      const bad = await refusal(deploy(deployer, "docker-pool", "bad-values", { image: IMAGE, memory: "lots", cpus: "two", image_pull_policy: "Sometimes" }));
      expect(bad.status).toBe(422);
      const byPath = Object.fromEntries(bad.issues.map((i) => [i.path, i.message]));
      expect(byPath["body.job_variables.memory"]).toMatch(/^"lots" must match the pattern .*; fix the value \(memory, Memory limit: /);
      expect(byPath["body.job_variables.cpus"]).toMatch(/^"two" must be of type number/);
      expect(byPath["body.job_variables.image_pull_policy"]).toMatch(/must be one of "IfNotPresent", "Always", "Never"/);
      const { deployment } = await deploy(deployer, "docker-pool", "good-values", { image: IMAGE, memory: "64m", cpus: 0.5 });
      const onRun = await refusal(runOf(deployer, deployment.id, { crash_retries: 99, auto_remove: "no" }));
      expect(onRun.status).toBe(422);
      expect(onRun.issues.map((i) => i.path).sort()).toEqual(["body.job_variables.auto_remove", "body.job_variables.crash_retries"]);
      // A secret resolved at launch is checked by the worker, not refused here.
      await deploy(deployer, "docker-pool", "memory-from-secret", { image: IMAGE, memory: "{{ baton.secrets.run-memory }}" });
    });

    test("baton deploy with the deployer's key refuses the locked and the bad values before writing anything", async () => {
      const dir = tempDir("baton-sec-deploy-");
      try {
        const project = makeProject(dir.path);
        writeFileSync(
          join(project.work, "baton.yaml"),
          `deployments:\n  - name: escalate\n    entrypoint: flows/etl.ts:etlFlow\n    work_pool:\n      name: docker-pool\n      job_variables: { privileged: true, volumes: ["/:/host"], memory: lots }\n`,
        );
        const key = await t.client.call("createApiKey", { body: { name: "ci-cli", role: "deployer" } });
        const r = await runBaton(["deploy", "--all"], { cwd: project.work, env: { BATON_HOME: t.home.path, BATON_API_URL: t.apiUrl, BATON_API_KEY: key.key } });
        expect(r.code).not.toBe(0);
        expect(r.stderr).toMatch(/deployments\[0\]\.work_pool\.job_variables\.privileged: "privileged" is locked by work pool "docker-pool"'s admin/);
        expect(r.stderr).toMatch(/deployments\[0\]\.work_pool\.job_variables\.volumes: "volumes" is locked/);
        expect(r.stderr).toMatch(/deployments\[0\]\.work_pool\.job_variables\.memory: "lots" must match the pattern/);
        const page = await t.client.call("listDeployments", { query: { flow_name: "etl-flow", limit: 10 } });
        expect(page.items).toEqual([]);
      } finally {
        dir.remove();
      }
    }, 120_000);

    test("even where an admin unlocked them, the worker refuses a privileged container, host mounts, the engine's socket and the host network: the run is Crashed naming the setting and the worker option", async () => {
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ privileged: true }, /a privileged container \(privileged\), which this worker refuses; .*--allow-privileged/],
        [{ volumes: ["/etc:/host-etc:ro"] }, /a bind mount of the host's \/etc \(volumes\).*--allow-host-mounts/],
        [{ volumes: [`${socketPath()}:/var/run/docker.sock`] }, /the container engine's socket .*--allow-docker-socket/],
        [{ network_mode: "host" }, /the host's network \(network_mode\).*--allow-host-namespaces/],
      ];
      for (const [i, [vars, message]] of cases.entries()) {
        const { deployment } = await deploy(deployer, "open-pool", `unlocked-${i}`, vars);
        const run = await runOf(deployer, deployment.id);
        const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 60_000);
        expect(done.state_type, done.state.message ?? "").toBe("CRASHED");
        expect(done.state.message).toMatch(/HostAccessRefused: the docker job configuration asks for/);
        expect(done.state.message).toMatch(message);
        expect(containersOf(run.id)).toEqual([]);
      }
      // A named volume holds nothing of the host's: allowed.
      const { deployment } = await deploy(deployer, "open-pool", "named-volume", { volumes: ["scratch:/scratch"] });
      const run = await runOf(deployer, deployment.id);
      const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 60_000);
      expect(done.state.message ?? "").not.toMatch(/HostAccessRefused/);
    });

    test("a worker started allowing host mounts and privileged containers passes them to the engine", async () => {
      const { deployment } = await deploy(deployer, "trusted-pool", "host-mount", { volumes: ["/etc:/host-etc:ro"], command: "sh -c 'test -f /host-etc/hostname'" });
      const run = await runOf(deployer, deployment.id);
      await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 60_000);
      await trusted.waitForEvent("exited", (e) => e.flowRunId === run.id);
      const [name] = containersOf(run.id);
      expect(name).toBeDefined();
      const inspected = JSON.parse(engine.docker(["inspect", "--format", "{{json .}}", name!])) as { HostConfig: { Binds: string[] }; State: { ExitCode: number } };
      expect(inspected.HostConfig.Binds).toContain("/etc:/host-etc:ro");
      expect(inspected.State.ExitCode).toBe(0);
      engine.docker(["rm", name!]);

      // This machine's runc may not grant every capability; what matters is that the worker asked the engine.
      const { deployment: privileged } = await deploy(deployer, "trusted-pool", "privileged", { privileged: true });
      const second = await runOf(deployer, privileged.id);
      const done = await waitForState(t.client, second.id, ["COMPLETED", "FAILED", "CRASHED"], 60_000);
      expect(done.state.message ?? "").not.toMatch(/HostAccessRefused/);
      await waitFor(() => trusted.events.find((e) => e.flowRunId === second.id && (e.type === "exited" || e.type === "crashed")), "the worker to be done with the privileged run");
      for (const leftover of containersOf(second.id)) {
        expect(engine.docker(["inspect", "--format", "{{.HostConfig.Privileged}}", leftover]).trim()).toBe("true");
        engine.docker(["rm", "-f", leftover]);
      }
    });

    test("baton worker start --allow-host-mounts is what lets a run bind-mount a host folder", async () => {
      const help = await runBaton(["worker", "start", "--help"]);
      for (const option of ["--allow-privileged", "--allow-host-mounts", "--allow-host-namespaces", "--allow-docker-socket"]) expect(help.stdout).toContain(option);
      const cli = startBaton(["worker", "start", "--pool", "cli-pool", "--allow-host-mounts"], { env: { BATON_HOME: t.home.path, BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey, DOCKER_HOST: engine.host } });
      try {
        await waitFor(() => cli.output().includes("Worker '") || cli.exitCode !== null, "the CLI worker to start", 60_000);
        expect(cli.exitCode, cli.output()).toBeNull();
        const { deployment } = await deploy(deployer, "cli-pool", "cli-mount", { volumes: ["/etc:/host-etc:ro"], command: "sh -c 'test -f /host-etc/hostname'" });
        const run = await runOf(deployer, deployment.id);
        const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 60_000);
        expect(done.state.message ?? "").not.toMatch(/HostAccessRefused/);
        const [name] = await waitFor(() => (containersOf(run.id).length > 0 ? containersOf(run.id) : undefined), "the run's container");
        expect(engine.docker(["inspect", "--format", "{{json .HostConfig.Binds}}", name!])).toContain("/etc:/host-etc:ro");
        engine.docker(["rm", "-f", name!]);
      } finally {
        cli.kill("SIGTERM");
        await new Promise((resolve) => (cli.exitCode !== null ? resolve(undefined) : cli.once("close", resolve)));
      }
    }, 120_000);
  });
});

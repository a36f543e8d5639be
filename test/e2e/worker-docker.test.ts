import { chmodSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { flow, secret } from "baton";
import { waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { describeNeeding } from "../helpers/components.js";
import { dockerUnavailableReason, startDockerEngine, type DockerEngine } from "../helpers/docker-engine.js";
import { makeRepo } from "../helpers/git-repo.js";
import { startSshGitServer, type SshGitServer } from "../helpers/ssh-git-server.js";
import { tempDir } from "../helpers/tmp.js";
import { createPool } from "./pool-templates.js";
import { runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const IMAGE = "local/busybox:latest";

// The flows, as they live in the repository the containers clone.
const FLOWS = {
  "flows/hello.ts": `import { flow, getRunLogger } from "baton";
export const hello = flow({ name: "docker-hello" }, async (p: { who?: string }) => {
  getRunLogger().info(\`hello \${p.who ?? "world"} from container \${process.env.HOSTNAME}\`);
  if (process.env.API_TOKEN) getRunLogger().info(\`the api token is \${process.env.API_TOKEN}\`);
  return 42;
});
`,
  "flows/hog.ts": `import { flow, getRunLogger } from "baton";
export const hog = flow({ name: "docker-hog" }, async () => {
  getRunLogger().info("allocating");
  console.log("allocating 8 MB at a time");
  const kept: Buffer[] = [];
  for (;;) kept.push(Buffer.alloc(8 * 1024 * 1024, 1));
});
`,
  "flows/slow.ts": `import { flow, getRunLogger } from "baton";
export const slow = flow({ name: "docker-slow" }, async () => {
  getRunLogger().info("sleeping");
  await new Promise((r) => setTimeout(r, 300_000));
});
`,
};

// The same flows as the deploying program sees them: fromSource() reads their names from the repository.
const hello = flow({ name: "docker-hello" }, async () => 0);
const hog = flow({ name: "docker-hog" }, async () => 0);
const slow = flow({ name: "docker-slow" }, async () => 0);

/**
 * A container with node and git without building a big image: the busybox image with the host's
 * system folders and this checkout (the `baton` CLI) mounted read-only; host networking reaches
 * the server and the SSH git server on 127.0.0.1.
 */
const NODE_DIR = dirname(process.execPath);
const JOB_VARIABLES = {
  image: IMAGE,
  network_mode: "host",
  // The Node running the tests (CI's Node 24 lives outside /usr), with this checkout's CLI.
  command: `${process.execPath} ${REPO_ROOT}/packages/cli/bin/baton.js flow-run execute`,
  volumes: [
    "/usr:/usr:ro",
    "/lib:/lib:ro",
    "/lib64:/lib64:ro",
    "/etc/ssl:/etc/ssl:ro",
    `${REPO_ROOT}:${REPO_ROOT}:ro`,
    ...(NODE_DIR.startsWith("/usr/") || NODE_DIR.startsWith(`${REPO_ROOT}/`) ? [] : [`${NODE_DIR}:${NODE_DIR}:ro`]),
  ],
};

describeNeeding("A Docker engine", dockerUnavailableReason(), "the docker worker against a real Docker engine", () => {
  let engine: DockerEngine;
  let ssh: SshGitServer;
  const repoDir = tempDir("baton-docker-origin-");
  beforeAll(async () => {
    engine = await startDockerEngine();
    engine.importBusybox(IMAGE);
    ssh = await startSshGitServer();
    makeRepo(join(repoDir.path, "flows"), FLOWS);
    ssh.addRepo("flows", join(repoDir.path, "flows"));
  }, 120_000);
  afterAll(async () => {
    await ssh?.stop();
    await engine?.stop();
    repoDir.remove();
  });

  /** The containers of one run, by the label the worker gives them. */
  const containersOf = (flowRunId: string) =>
    engine.docker(["ps", "-a", "--filter", `label=io.baton.flow-run-id=${flowRunId}`, "--format", "{{.Names}}"]).split("\n").filter(Boolean);

  describe.each(DATABASE_KINDS)("%s", (kind) => {
    let t: TestServer;
    let worker: WorkerProcess;
    beforeAll(async () => {
      t = await startTestServer(kind);
      // These runs need the host's network and folders: the pool's admin lets its deployments set them, and its worker's operator allows them.
      await createPool(t, "docker-pool", "docker", { unlock: ["network_mode", "volumes", "git_ssh_key_path", "git_known_hosts_path"] });
      const hostAccess = { hostMounts: true, hostNamespaces: true };
      worker = startWorkerProcess(t, { pool: "docker-pool", type: "docker", pollWaitSeconds: 5, cancelCheckSeconds: 0.5, graceSeconds: 3, hostAccess }, { DOCKER_HOST: engine.host });
      await worker.waitForEvent("started");
      await t.client.call("setSecret", { params: { name: "deploy-key" }, body: { value: ssh.deployKey, work_pools: ["*"] } });
      await t.client.call("setSecret", { params: { name: "api-token" }, body: { value: "tok-0123456789abcdef", work_pools: ["*"] } });
    });
    afterAll(async () => {
      await worker?.stop();
      await t?.close();
    });

    const deploy = (f: typeof hello, entrypoint: string, name: string, jobVariables: Record<string, unknown> = {}, auth: "secret" | "none" = "secret") =>
      f
        .fromSource({
          source: ssh.url("flows"),
          entrypoint,
          ref: "main",
          ...(auth === "secret" ? { sshKey: secret("deploy-key"), knownHosts: ssh.knownHosts } : {}),
        })
        .deploy({ name, workPool: "docker-pool", parameters: {}, jobVariables: { ...JOB_VARIABLES, ...jobVariables }, client: t.client });

    const run = async (deploymentId: string, parameters: Record<string, unknown> = {}) =>
      (await t.client.call("runDeployment", { params: { id: deploymentId }, body: { parameters } })).id;

    test("a run clones over SSH inside its container with the deploy key from the secret store, gets a secret env value resolved at launch (masked), completes, and its container is removed", async () => {
      // A secret in env is resolved by the worker at launch, and masked in what the run logs.
      const { deployment } = await deploy(hello, "flows/hello.ts:hello", "ssh-secret", { labels: { team: "data" }, env: { API_TOKEN: "{{ baton.secrets.api-token }}" } });
      expect(JSON.stringify(deployment)).not.toContain("tok-0123456789abcdef");
      const id = await run(deployment.id, { who: "ops" });
      await worker.waitForEvent("launched", (e) => e.flowRunId === id);
      const done = await waitForState(t.client, id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
      expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
      const logs = await waitFor(async () => {
        const lines = await runLogs(t.client, id);
        return lines.some((l) => l.startsWith("Finished in state Completed")) ? lines : undefined;
      }, "the run's last log line");
      // HOSTNAME is the container's id: the flow ran in the container, not in the worker.
      const line = logs.find((l) => l.startsWith("hello ops from container "));
      expect(line, logs.join("\n")).toBeDefined();
      expect(line).not.toContain("undefined");
      expect(logs).toContain("the api token is ****");
      expect([JSON.stringify(done), worker.output()].join("\n")).not.toContain("tok-0123456789abcdef");
      // stream_output copies the container's output to the worker's, prefixed with the run's name.
      await waitFor(() => worker.output().includes(`[${done.name}] `), "the container's output in the worker's");
      await worker.waitForEvent("exited", (e) => e.flowRunId === id);
      expect(containersOf(id)).toEqual([]);
      for (const keyLine of ssh.deployKey.split("\n").filter((l) => l.length >= 16)) expect([...logs, worker.output()].join("\n")).not.toContain(keyLine);
    });

    test("a deploy key and known_hosts given as files on the worker's host are mounted read-only and used through GIT_SSH_COMMAND", async () => {
      const files = tempDir("baton-docker-keys-");
      try {
        writeFileSync(join(files.path, "id_ed25519"), ssh.deployKey, { mode: 0o600 });
        writeFileSync(join(files.path, "known_hosts"), `${ssh.knownHosts}\n`);
        chmodSync(join(files.path, "known_hosts"), 0o644);
        const vars = { git_ssh_key_path: join(files.path, "id_ed25519"), git_known_hosts_path: join(files.path, "known_hosts") };
        const { deployment } = await deploy(hello, "flows/hello.ts:hello", "ssh-files", vars, "none");
        expect(JSON.stringify(deployment)).not.toContain("PRIVATE KEY");
        const id = await run(deployment.id);
        const done = await waitForState(t.client, id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
        expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");

        // Without the files, the same clone is refused: the files were what authenticated it.
        const { deployment: bare } = await deploy(hello, "flows/hello.ts:hello", "ssh-none", {}, "none");
        const refused = await waitForState(t.client, await run(bare.id), ["COMPLETED", "FAILED", "CRASHED"], 120_000);
        expect(refused.state_type).toBe("FAILED");
        expect(refused.state.message).toMatch(/host key|Permission denied|publickey/i);
      } finally {
        files.remove();
      }
    });

    test("a command that exits non-zero leaves the run Crashed with its exit code and last output, and the container removed", async () => {
      const { deployment } = await deploy(hello, "flows/hello.ts:hello", "exits", { command: `sh -c "echo about to fail; echo broken config >&2; exit 3"` });
      const id = await run(deployment.id);
      const done = await waitForState(t.client, id, ["COMPLETED", "FAILED", "CRASHED"], 60_000);
      expect(done.state_type).toBe("CRASHED");
      expect(done.state.message).toContain("exited with code 3");
      expect(done.state.message).toContain("broken config");
      await worker.waitForEvent("crashed", (e) => e.flowRunId === id);
      expect(containersOf(id)).toEqual([]);
    });

    test("with auto_remove false the ended container is kept, labelled with its run, deployment and worker", async () => {
      const { deployment } = await deploy(hello, "flows/hello.ts:hello", "kept", { command: "sh -c 'exit 0'", auto_remove: false });
      const id = await run(deployment.id);
      await waitForState(t.client, id, ["COMPLETED", "FAILED", "CRASHED"], 60_000);
      await worker.waitForEvent("exited", (e) => e.flowRunId === id);
      const [name] = containersOf(id);
      expect(name).toBeDefined();
      const labels = JSON.parse(engine.docker(["inspect", "--format", "{{json .Config.Labels}}", name!])) as Record<string, string>;
      expect(labels).toMatchObject({ "io.baton.flow-run-id": id, "io.baton.deployment-id": deployment.id, "io.baton.deployment-name": "kept", "io.baton.flow-name": "docker-hello" });
      expect(labels["io.baton.worker-name"]).toBeTruthy();
      engine.docker(["rm", name!]);
    });

    test("a run past its memory limit is OOM-killed and recorded Crashed, naming out-of-memory", async () => {
      const { deployment } = await deploy(hog, "flows/hog.ts:hog", "hog", { memory: "192m" });
      const id = await run(deployment.id);
      const done = await waitForState(t.client, id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
      expect(done.state_type, done.state.message ?? "").toBe("CRASHED");
      expect(done.state.message).toContain("exited with code 137");
      expect(done.state.message).toMatch(/ran out of memory \(OOMKilled of its 192m memory limit\)/);
      // It was killed before its logger could send anything: its output is in the message.
      expect(done.state.message).toContain("allocating 8 MB at a time");
      expect(containersOf(id)).toEqual([]);
    });

    test("cancelling a running run stops and removes its container, and the run ends Cancelled", async () => {
      const { deployment } = await deploy(slow, "flows/slow.ts:slow", "slow");
      const id = await run(deployment.id);
      await waitFor(async () => (await runLogs(t.client, id)).includes("sleeping"), "the flow to start sleeping in its container", 120_000);
      expect(containersOf(id)).toHaveLength(1);
      const answer = await t.client.call("cancelFlowRun", { params: { id } });
      expect(answer.state.type).toBe("CANCELLING");
      const done = await waitForState(t.client, id, ["CANCELLED", "CRASHED", "FAILED", "COMPLETED"], 60_000);
      expect(done.state_type).toBe("CANCELLED");
      await worker.waitForEvent("cancelled", (e) => e.flowRunId === id);
      expect(containersOf(id)).toEqual([]);
    });

    test("an image that cannot be pulled, or is absent under policy Never, crashes the run before it starts, saying what to fix", async () => {
      const { deployment: always } = await deploy(hello, "flows/hello.ts:hello", "pull-always", { image_pull_policy: "Always" });
      const pulled = await waitForState(t.client, await run(always.id), ["COMPLETED", "FAILED", "CRASHED"], 60_000);
      expect(pulled.state_type).toBe("CRASHED");
      expect(pulled.state.message).toContain(`could not pull image "${IMAGE}" (image_pull_policy Always)`);
      // The engine's own reason (here: no registry is reachable) comes before what to do about it.
      expect(pulled.state.message).toMatch(/image_pull_policy Always\): (?!\(HTTP)\S.*; check the image name and tag, that the worker.s Docker engine can reach the registry/);

      const { deployment: missing } = await deploy(hello, "flows/hello.ts:hello", "missing", { image: "local/missing:1" });
      const notPulled = await waitForState(t.client, await run(missing.id), ["COMPLETED", "FAILED", "CRASHED"], 60_000);
      expect(notPulled.state_type).toBe("CRASHED");
      expect(notPulled.state.message).toContain(`Flow run could not be started on docker infrastructure: ImagePullFailed: could not pull image "local/missing:1" (image_pull_policy IfNotPresent)`);

      const { deployment: never } = await deploy(hello, "flows/hello.ts:hello", "absent", { image: "local/absent:1", image_pull_policy: "Never" });
      const absent = await waitForState(t.client, await run(never.id), ["COMPLETED", "FAILED", "CRASHED"], 60_000);
      expect(absent.state_type).toBe("CRASHED");
      expect(absent.state.message).toContain(`image "local/absent:1" is not on the worker's Docker engine and image_pull_policy is Never`);
    });
  });
});

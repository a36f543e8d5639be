/*
 * Secrets and host variables on a Docker pool, driven by a deployer key against a real server,
 * a real worker process and a real Docker engine. Between the worker and the engine sits a proxy
 * that records every request line, as a proxy or the engine's debug log would: the container's
 * spec (its env, where secrets and the run's token are) must travel in the body, never the URL.
 */
import { BatonClient } from "baton";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { dockerUnavailableReason, startDockerEngine, type DockerEngine } from "../helpers/docker-engine.js";
import { startRecordingSocketProxy, type RecordingSocketProxy } from "../helpers/recording-socket-proxy.js";
import { createPool } from "./pool-templates.js";
import { startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const IMAGE = "local/busybox:latest";
const POOL = "docker-secrets";
const RUN_SECRET = "docker-secret-3b8e61f0a2";
const HOST_SECRET = "docker-host-only-91c2d4";
const unavailable = dockerUnavailableReason();

describe.skipIf(unavailable)(`secrets on a docker pool${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  let engine: DockerEngine;
  let proxy: RecordingSocketProxy;
  beforeAll(async () => {
    engine = await startDockerEngine();
    engine.importBusybox(IMAGE);
    proxy = await startRecordingSocketProxy(engine.host.slice("unix://".length));
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await engine?.stop();
  });

  describe.each(DATABASE_KINDS)("%s", (kind) => {
    let t: TestServer;
    let deployer: BatonClient;
    let worker: WorkerProcess;
    beforeAll(async () => {
      t = await startTestServer(kind);
      const { key } = await t.client.call("createApiKey", { body: { name: "ci", role: "deployer" } });
      deployer = new BatonClient({ apiUrl: t.apiUrl, apiKey: key });
      await t.client.call("setSecret", { params: { name: "api-token" }, body: { value: RUN_SECRET, work_pools: ["*"] } });
      // These runs need no network: the pool's admin lets deployments choose it.
      await createPool(t, POOL, "docker", { unlock: ["network_mode"] });
      worker = startWorkerProcess(t, { pool: POOL, type: "docker", pollWaitSeconds: 2 }, { DOCKER_HOST: proxy.host, HOST_SECRET });
      await worker.waitForEvent("started");
    }, 60_000);
    afterAll(async () => {
      await worker?.stop();
      await deployer?.close();
      await t?.close();
    });

    /** A deployer's deployment whose container runs `sh -c SCRIPT; exit 3`, and its run's Crashed message. */
    const crashedMessage = async (name: string, script: string, jobVariables: Record<string, unknown> = {}): Promise<{ id: string; message: string }> => {
      const { deployment } = await deployer.call("upsertDeployment", {
        body: {
          flow_name: "probe",
          name,
          entrypoint: "flows/probe.ts:probe",
          pull_steps: [],
          work_pool_name: POOL,
          job_variables: { image: IMAGE, image_pull_policy: "Never", network_mode: "none", command: `sh -c '${script}; exit 3'`, ...jobVariables },
        },
      });
      const run = await deployer.call("runDeployment", { params: { id: deployment.id }, body: { parameters: {} } });
      const done = await waitForState(deployer, run.id, ["CRASHED", "COMPLETED", "FAILED"]);
      expect(done.state_type).toBe("CRASHED");
      return { id: run.id, message: done.state.message ?? "" };
    };

    test("the container's spec, env and secrets included, goes in the create request's body, not its URL", async () => {
      const before = proxy.requestLines().length;
      const { message } = await crashedMessage("body", 'echo "token is $TOKEN"', { env: { TOKEN: "{{ baton.secrets.api-token }}", MODE: "plain-value-in-env" } });
      const creates = proxy.requestLines().slice(before).filter((l) => l.includes("/containers/create"));
      expect(creates).toHaveLength(1);
      expect(creates[0]).toMatch(/^POST (\/v[\d.]+)?\/containers\/create\?name=[\w.-]+$/);
      for (const line of proxy.requestLines()) {
        expect(line).not.toContain(RUN_SECRET);
        expect(line).not.toContain("plain-value-in-env");
        expect(line).not.toContain("BATON_API_KEY");
      }
      // The value reached the container (through the body), and the Crashed message masks it.
      expect(message).toContain("token is ****");
      expect(message).not.toContain(RUN_SECRET);
    });

    test("a secret in memory or a label is refused before it is read; the Crashed message never quotes it", async () => {
      const memory = await crashedMessage("memory", "true", { memory: "{{ baton.secrets.api-token }}" });
      expect(memory.message).toContain("SecretOutsideEnv: job_configuration.memory ({{ baton.secrets.api-token }})");
      expect(memory.message).not.toContain(RUN_SECRET);
      const label = await crashedMessage("label", "true", { labels: { owner: "{{ baton.secrets.api-token }}" } });
      expect(label.message).toContain("SecretOutsideEnv: job_configuration.labels.owner");
      // No container was ever made for either, so no label or argument holds it.
      expect(engine.docker(["ps", "-a", "--filter", `label=io.baton.flow-run-id=${label.id}`, "-q"])).toBe("");
      expect(engine.docker(["ps", "-a", "--filter", `label=io.baton.flow-run-id=${memory.id}`, "-q"])).toBe("");
    });

    test("{{ $NAME }} in a container's env reads nothing of the worker's host unless allowed, and never the worker's key", async () => {
      const key = await crashedMessage("dollar-key", 'echo "K=$K"', { env: { K: "{{ $BATON_API_KEY }}" } });
      expect(key.message).toContain("BATON_API_KEY is the worker's own credential or setting and is never given to a run");
      expect(key.message).not.toContain(t.apiKey);
      const host = await crashedMessage("dollar-host", 'echo "H=$H"', { env: { H: "{{ $HOST_SECRET }}" } });
      expect(host.message).toContain("which this worker does not allow");
      expect(host.message).not.toContain(HOST_SECRET);
    });
  });
}, 300_000);

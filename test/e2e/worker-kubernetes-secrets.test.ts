/*
 * Secrets and host variables on a Kubernetes pool, driven by a deployer key through the real
 * server and the real worker loop against the API test server (test/helpers/kube-api-server):
 * a secret anywhere but env (annotations, init containers) is refused before the Job exists,
 * `{{ $NAME }}` reads only what the worker's admin allowed, and `baton deployment preview` says
 * where each reference goes.
 */
import { BatonClient } from "baton";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startKubeApiServer, type KubeApiServer } from "../helpers/kube-api-server/index.js";
import { createPool } from "./pool-templates.js";
import { startKubernetesWorker, watchedJobOf, type KubernetesWorker } from "./worker-kubernetes-setup.js";
import { runLogs, startTestServer, waitForState, type TestServer } from "./worker-setup.js";

const POOL = "k8s-secrets";
const RUN_SECRET = "k8s-secret-5e0d7c93b1";
const HOST_VALUE = "k8s-host-only-4a1f88";

describe.each(DATABASE_KINDS)("secrets on a Kubernetes pool on %s", (kind) => {
  let t: TestServer;
  let kube: KubeApiServer;
  let k8s: KubernetesWorker;
  let deployer: BatonClient;
  let deployerKey = "";
  beforeAll(async () => {
    t = await startTestServer(kind);
    kube = await startKubeApiServer();
    ({ key: deployerKey } = await t.client.call("createApiKey", { body: { name: "ci", role: "deployer" } }));
    deployer = new BatonClient({ apiUrl: t.apiUrl, apiKey: deployerKey });
    await t.client.call("setSecret", { params: { name: "api-token" }, body: { value: RUN_SECRET, work_pools: ["*"] } });
    // Its admin lets deployments add init containers, so the secret placement check is what refuses them.
    await createPool(t, POOL, "kubernetes", { unlock: ["init_containers"] });
    // The worker runs in this process: its host's environment is this one.
    process.env.BATON_TEST_K8S_HOST_VALUE = HOST_VALUE;
    process.env.BATON_TEST_K8S_REGION = "eu-west-3";
    k8s = await startKubernetesWorker(t, kube, { pool: POOL, name: "k8s-secrets-worker", allowEnv: ["BATON_TEST_K8S_REGION"], onInfraError: () => undefined });
  }, 60_000);
  afterAll(async () => {
    await k8s?.stop();
    await kube?.close();
    await deployer?.close();
    await t?.close();
    delete process.env.BATON_TEST_K8S_HOST_VALUE;
    delete process.env.BATON_TEST_K8S_REGION;
  }, 60_000);

  const deploy = async (name: string, jobVariables: Record<string, unknown>) =>
    (
      await deployer.call("upsertDeployment", {
        body: { flow_name: "probe", name, entrypoint: "flows/probe.ts:probe", pull_steps: [], work_pool_name: POOL, job_variables: { image: "registry.example.com/probe:1", ...jobVariables } },
      })
    ).deployment;
  const run = async (deploymentId: string) => deployer.call("runDeployment", { params: { id: deploymentId }, body: { parameters: {} } });
  const jobsOf = (flowRunId: string) => kube.jobs().filter((j) => j.metadata.labels?.["baton.io/flow-run-id"] === flowRunId);
  const sentAnywhere = (text: string) => kube.requests.some((r) => JSON.stringify(r.body ?? "").includes(text) || r.path.includes(text));

  test("a secret in the Job's annotations or an init container is refused before any Job exists, and never sent to the cluster", async () => {
    const annotated = await run((await deploy("annotation", { annotations: { leak: "{{ baton.secrets.api-token }}" } })).id);
    const a = await waitForState(deployer, annotated.id, ["CRASHED"]);
    expect(a.state.message).toContain("SecretOutsideEnv: job_configuration.job_manifest.metadata.annotations.leak ({{ baton.secrets.api-token }})");
    const init = await run((await deploy("init", { init_containers: [{ name: "x", image: "busybox", args: ["--token={{ baton.secrets.api-token }}"] }] })).id);
    const i = await waitForState(deployer, init.id, ["CRASHED"]);
    expect(i.state.message).toContain("job_manifest.spec.template.spec.initContainers[0].args[0]");
    for (const done of [a, i]) expect(done.state.message).not.toContain(RUN_SECRET);
    expect(jobsOf(annotated.id)).toEqual([]);
    expect(jobsOf(init.id)).toEqual([]);
    expect(sentAnywhere(RUN_SECRET)).toBe(false);
  });

  test("{{ $NAME }} in a Job's env reads only what the worker's admin allowed: never the worker's key, not a host variable", async () => {
    const key = await run((await deploy("dollar-key", { env: { K: "{{ $BATON_API_KEY }}" } })).id);
    expect((await waitForState(deployer, key.id, ["CRASHED"])).state.message).toContain("BATON_API_KEY is the worker's own credential or setting and is never given to a run");
    const host = await run((await deploy("dollar-host", { env: { H: "{{ $BATON_TEST_K8S_HOST_VALUE }}" } })).id);
    expect((await waitForState(deployer, host.id, ["CRASHED"])).state.message).toContain("which this worker does not allow; remove it, put the value in the deployment's env, or ask the worker's admin to start it with --allow-env BATON_TEST_K8S_HOST_VALUE");
    expect(jobsOf(key.id)).toEqual([]);
    expect(jobsOf(host.id)).toEqual([]);
    expect(sentAnywhere(HOST_VALUE)).toBe(false);
    expect(sentAnywhere(t.apiKey)).toBe(false);
    // What the admin allowed is written in the Job.
    const allowed = await run((await deploy("dollar-allowed", { env: { REGION: "{{ $BATON_TEST_K8S_REGION }}" } })).id);
    const { job, jobName } = await watchedJobOf(kube, allowed.id);
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: "REGION", value: "eu-west-3" });
    // The run ends here, so the worker has nothing left to wait for when the suite stops it.
    kube.podFailed(jobName, 1);
    await waitForState(deployer, allowed.id, ["CRASHED", "FAILED"]);
  });

  test("a pod that prints its secret and dies: the run's logs and its Crashed message show **** instead", async () => {
    const started = await run((await deploy("prints", { env: { TOKEN: "{{ baton.secrets.api-token }}" } })).id);
    const { jobName } = await watchedJobOf(kube, started.id);
    kube.podRunning(jobName);
    // The flow run's own part, as `baton flow-run execute` in the pod would report it.
    await t.client.setFlowRunState(started.id, { type: "RUNNING" });
    kube.appendLog(jobName, `the token is ${RUN_SECRET}\n`);
    await waitFor(async () => (await runLogs(t.client, started.id)).includes("the token is ****"), "the pod's output, masked, in the run's logs");
    kube.podFailed(jobName, 1);
    const done = await waitForState(deployer, started.id, ["CRASHED"]);
    expect(done.state.message).toContain("the token is ****");
    expect(done.state.message).not.toContain(RUN_SECRET);
    expect((await runLogs(t.client, started.id)).join("\n")).not.toContain(RUN_SECRET);
  });

  test("baton deployment preview says where each secret goes: the run's Secret from env, refused anywhere else; for process pools too", async () => {
    const env = { BATON_API_URL: t.apiUrl, BATON_API_KEY: deployerKey, BATON_HOME: t.home.path };
    await deploy("preview-ok", { env: { TOKEN: "{{ baton.secrets.api-token }}" } });
    const ok = await runBaton(["deployment", "preview", "probe/preview-ok"], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("env.TOKEN: {{ baton.secrets.api-token }} -> resolved by the worker at launch into the run's own Secret");
    const bad = await runBaton(["deployment", "preview", "probe/annotation"], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("job_configuration.job_manifest.metadata.annotations.leak: {{ baton.secrets.api-token }}: REFUSED");
    const json = await runBaton(["deployment", "preview", "probe/annotation", "--json"], { env });
    expect(JSON.parse(json.stdout).references).toContainEqual(expect.objectContaining({ path: "job_manifest.metadata.annotations.leak", refused: true }));
    // The same deployment's variables under a process pool's template: a secret in the command is refused there too.
    await deploy("preview-command", { command: "sh -c 'echo {{ baton.secrets.api-token }}'" });
    const process = await runBaton(["deployment", "preview", "probe/preview-command", "--pool-type", "process"], { env });
    expect(process.code).toBe(1);
    expect(process.stderr).toContain("job_configuration.command: {{ baton.secrets.api-token }}: REFUSED");
    expect(process.stdout).toContain("command: sh -c 'echo {{ baton.secrets.api-token }}'");
    for (const out of [ok, bad, json, process]) expect(out.stdout + out.stderr).not.toContain(RUN_SECRET);
  });
});

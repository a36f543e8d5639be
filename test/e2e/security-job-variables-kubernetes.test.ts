/*
 * A deployer is not root (issue 20, items 1 and 2), on a Kubernetes pool: cluster credentials
 * come from the worker or the pool, never from a deployment or a run, and a kubeconfig that came
 * through the API may not run a command in the worker; what a deployer's key may set in
 * job_variables, and what the worker refuses to put in a pod whatever the job configuration says.
 * The real server, the real worker loop and @kubernetes/client-node, against the API test server.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BaseJobTemplate, FlowRun } from "@baton/core";
import { openDatabase } from "@baton/server";
import type { BatonClient } from "baton";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startKubeApiServer, type KubeApiServer } from "../helpers/kube-api-server/index.js";
import { tempDir } from "../helpers/tmp.js";
import { clientWithRole, createPool, poolTemplate, refusal } from "./pool-templates.js";
import { startKubernetesWorker, watchedJobOf, type KubernetesWorker } from "./worker-kubernetes-setup.js";
import { startTestServer, waitForState, type TestServer } from "./worker-setup.js";

const IMAGE = "registry.example.com/team/etl:1";

/** A kubeconfig whose user runs a program to get its credential: the program leaves `marker` behind. */
function execKubeconfig(server: string, marker: string, user: Record<string, unknown> | undefined = undefined): Record<string, unknown> {
  const credential = `{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"stolen"}}`;
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server } }],
    users: [{ name: "u", user: user ?? { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "sh", args: ["-c", `id > ${marker}; echo '${credential}'`] } } }],
    contexts: [{ name: "c", context: { cluster: "c", user: "u", namespace: "default" } }],
    "current-context": "c",
  };
}

describe.each(DATABASE_KINDS)("a deployer's job variables on a Kubernetes pool, on %s", (kind) => {
  let t: TestServer;
  let kube: KubeApiServer;
  let deployer: BatonClient;
  const workers: KubernetesWorker[] = [];
  const errors: string[] = [];
  const files = tempDir("baton-sec-kube-");
  const marker = (name: string) => join(files.path, name);

  /** A template as an earlier release stored it, past today's checks on pool writes. */
  const writePoolTemplate = async (pool: string, template: BaseJobTemplate) => {
    const database = await openDatabase(t.db.url, { migrate: false });
    try {
      await database.db.updateTable("work_pools").set({ base_job_template: JSON.stringify(template) }).where("name", "=", pool).execute();
    } finally {
      await database.close();
    }
  };

  const startWorker = async (pool: string, hostAccess?: { hostMounts?: boolean; privileged?: boolean; hostNamespaces?: boolean }) => {
    workers.push(await startKubernetesWorker(t, kube, { pool, name: `${pool}-worker`, ...(hostAccess ? { hostAccess } : {}), onInfraError: (e) => errors.push(String(e)) }));
  };

  beforeAll(async () => {
    t = await startTestServer(kind);
    kube = await startKubeApiServer();
    deployer = await clientWithRole(t, "ci-pipeline", "deployer");
    await createPool(t, "k8s", "kubernetes", { defaults: { image: IMAGE } });
    // An admin pasted a laptop's kubeconfig (it runs a credential plugin) into a pool, with a release that let it be written.
    await createPool(t, "k8s-pasted", "kubernetes", { defaults: { image: IMAGE } });
    await createPool(t, "k8s-file-paths", "kubernetes", { defaults: { image: IMAGE } });
    await writePoolTemplate("k8s-pasted", poolTemplate("kubernetes", { defaults: { image: IMAGE, cluster_config: { kubeconfig: execKubeconfig(kube.url, marker("pool-exec")) } } }));
    await writePoolTemplate(
      "k8s-file-paths",
      poolTemplate("kubernetes", { defaults: { image: IMAGE, cluster_config: { kubeconfig: execKubeconfig(kube.url, marker("unused"), { "client-certificate": "/etc/passwd", "client-key": "/etc/shadow" }) } } }),
    );
    // An admin who trusts this pool's deployers with volumes and init containers; its worker still decides.
    const openPool = { defaults: { image: IMAGE }, unlock: ["volumes", "volume_mounts", "init_containers"] };
    await createPool(t, "k8s-open", "kubernetes", openPool);
    await createPool(t, "k8s-trusted", "kubernetes", openPool);
    for (const pool of ["k8s", "k8s-pasted", "k8s-file-paths", "k8s-open"]) await startWorker(pool);
    await startWorker("k8s-trusted", { hostMounts: true });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await deployer?.close();
    await kube?.close();
    await t?.close();
    files.remove();
  }, 60_000);

  const deploy = (pool: string, name: string, jobVariables: Record<string, unknown>) =>
    deployer.call("upsertDeployment", { body: { flow_name: "attack", name, entrypoint: "flows/x.ts:x", pull_steps: [], work_pool_name: pool, job_variables: jobVariables } });
  const runOf = (deploymentId: string, jobVariables: Record<string, unknown> = {}): Promise<FlowRun> =>
    deployer.call("runDeployment", { params: { id: deploymentId }, body: { parameters: {}, job_variables: jobVariables } });
  const jobOf = (flowRunId: string) => kube.jobs().find((j) => j.metadata.labels?.["baton.io/flow-run-id"] === flowRunId);

  test("a deployer's cluster_config (a kubeconfig whose exec runs a command in the worker) is refused on deploy and on run, 403 naming the fix", async () => {
    const cluster_config = { kubeconfig: execKubeconfig(kube.url, marker("deployer-exec")) };
    const error = await refusal(deploy("k8s", "exec", { cluster_config }));
    expect(error.status).toBe(403);
    expect(error.code).toBe("JobVariableLocked");
    expect(error.message).toContain("body.job_variables.cluster_config: \"cluster_config\" is refused from deployments and runs: cluster credentials come from the worker or the work pool");
    // The file form too: a path on the worker's host is no business of a deployment.
    expect((await refusal(deploy("k8s", "exec-file", { cluster_config: { kubeconfig_file: "/root/.kube/config" } }))).status).toBe(403);
    const { deployment } = await deploy("k8s", "harmless", {});
    expect((await refusal(runOf(deployment.id, { cluster_config }))).status).toBe(403);
    expect((await deployer.call("listFlowRuns", { query: { deployment_id: deployment.id, limit: 10 } })).items).toEqual([]);
    expect(existsSync(marker("deployer-exec"))).toBe(false);
  });

  test("an admin's pool write with an inline kubeconfig that execs, uses an auth-provider or names files is refused, 422 naming the field", async () => {
    const exec = await refusal(createPool(t, "k8s-exec", "kubernetes", { defaults: { cluster_config: { kubeconfig: execKubeconfig(kube.url, marker("admin-exec")) } } }));
    expect(exec.status).toBe(422);
    expect(exec.issues).toEqual([{ path: "body.base_job_template.variables.properties.cluster_config.default.kubeconfig", message: expect.stringMatching(/users\[0\]\.user\.exec would run a command inside the worker; a kubeconfig sent through the API may only carry inline credentials/) }]);
    const template = poolTemplate("kubernetes");
    template.job_configuration.cluster_config = { kubeconfig: execKubeconfig(kube.url, marker("admin-exec"), { "auth-provider": { name: "gcp", config: { "cmd-path": "/bin/sh" } } }) };
    const update = await refusal(t.client.call("updateWorkPool", { params: { name: "k8s" }, body: { base_job_template: template } }));
    expect(update.issues[0]?.message).toMatch(/auth-provider would run a command/);
    expect(existsSync(marker("admin-exec"))).toBe(false);
  });

  test("a kubeconfig that came through the API may not run a command or read the worker's files, even the pool's: the run is Crashed, nothing ran, no Job", async () => {
    const { deployment } = await deploy("k8s-pasted", "pasted", {});
    const run = await runOf(deployment.id);
    const done = await waitForState(t.client, run.id, ["CRASHED", "COMPLETED", "FAILED"]);
    expect(done.state.message).toMatch(/UnsafeKubeconfig: cluster_config\.kubeconfig\.users\[0\]\.user\.exec would run a command inside the worker/);
    expect(done.state.message).toMatch(/cluster_config\.kubeconfig_file or KUBECONFIG on its own host/);
    expect(existsSync(marker("pool-exec"))).toBe(false);
    expect(jobOf(run.id)).toBeUndefined();

    const { deployment: files } = await deploy("k8s-file-paths", "paths", {});
    const second = await runOf(files.id);
    const refused = await waitForState(t.client, second.id, ["CRASHED", "COMPLETED", "FAILED"]);
    expect(refused.state.message).toMatch(/users\[0\]\.user\.client-certificate names a file on the worker's host \(give client-certificate-data instead\)/);
    expect(refused.state.message).toMatch(/client-key names a file/);
    expect(jobOf(second.id)).toBeUndefined();
  });

  test("a deployer's key cannot set the namespace, the service account, hostPath volumes, init containers or git Secrets: 403 naming each, on deploy and on run", async () => {
    const attacks: Record<string, unknown>[] = [
      { namespace: "kube-system" },
      { service_account_name: "cluster-admin" },
      { volumes: [{ name: "root", hostPath: { path: "/" } }], volume_mounts: [{ name: "root", mountPath: "/host" }] },
      { init_containers: [{ name: "steal", image: "busybox", securityContext: { privileged: true } }] },
      { git_ssh_secret: "another-teams-deploy-key" },
      { git_token_secret: "another-teams-token" },
    ];
    const { deployment } = await deploy("k8s", "harmless-2", {});
    for (const [i, vars] of attacks.entries()) {
      const error = await refusal(deploy("k8s", `attack-${i}`, vars));
      expect(error.status).toBe(403);
      for (const name of Object.keys(vars)) expect(error.message).toContain(`body.job_variables.${name}: "${name}" is locked by work pool "k8s"'s admin`);
      expect((await refusal(runOf(deployment.id, vars))).status).toBe(403);
    }
    expect((await deployer.call("listDeployments", { query: { work_pool_name: "k8s", limit: 50 } })).items.map((d) => d.name).sort()).toEqual(["harmless", "harmless-2"]);
  });

  test("values are checked against the pool's variables schema on deploy and on run: 422 naming the variable", async () => {
    const bad = await refusal(deploy("k8s", "bad", { memory_limit: "lots", image_pull_policy: "Sometimes", backoff_limit: -1 }));
    expect(bad.status).toBe(422);
    expect(bad.issues.map((i) => i.path).sort()).toEqual(["body.job_variables.backoff_limit", "body.job_variables.image_pull_policy", "body.job_variables.memory_limit"]);
    expect(bad.issues.find((i) => i.path.endsWith("memory_limit"))!.message).toMatch(/^"lots" must match the pattern .*; fix the value \(memory_limit, Memory limit: e\.g\. 1Gi\)/);
    const { deployment } = await deploy("k8s", "good", { memory_limit: "512Mi" });
    const onRun = await refusal(runOf(deployment.id, { pod_watch_timeout_seconds: "soon", tolerations: "all" }));
    expect(onRun.status).toBe(422);
    expect(onRun.issues.map((i) => i.path).sort()).toEqual(["body.job_variables.pod_watch_timeout_seconds", "body.job_variables.tolerations"]);
  });

  test("even where an admin unlocked them, the worker refuses hostPath volumes and privileged containers unless started allowing them: Crashed naming the field and the option, no Job", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ volumes: [{ name: "etc", hostPath: { path: "/etc" } }] }, /a hostPath volume of the node's \/etc \(job_manifest\.spec\.template\.spec\.volumes\[0\]\.hostPath \(volume "etc"\)\).*--allow-host-mounts/],
      [{ volumes: [{ name: "sock", hostPath: { path: "/var/run/docker.sock" } }] }, /the node's container engine socket .*--allow-docker-socket/],
      [{ init_containers: [{ name: "steal", image: "busybox", securityContext: { privileged: true } }] }, /a privileged container \(job_manifest\.spec\.template\.spec\.initContainers\[0\].*--allow-privileged/],
    ];
    for (const [i, [vars, message]] of cases.entries()) {
      const { deployment } = await deploy("k8s-open", `unlocked-${i}`, vars);
      const run = await runOf(deployment.id);
      const done = await waitForState(t.client, run.id, ["CRASHED", "COMPLETED", "FAILED"]);
      expect(done.state.message).toMatch(/HostAccessRefused: the Kubernetes job configuration asks for/);
      expect(done.state.message).toMatch(message);
      expect(jobOf(run.id)).toBeUndefined();
    }
    // A worker started with --allow-host-mounts sends the same hostPath volume.
    const { deployment } = await deploy("k8s-trusted", "host-mount", { volumes: [{ name: "etc", hostPath: { path: "/etc" } }], volume_mounts: [{ name: "etc", mountPath: "/host-etc", readOnly: true }] });
    const run = await runOf(deployment.id);
    const { jobName, job } = await watchedJobOf(kube, run.id);
    expect(job.spec.template.spec.volumes).toContainEqual({ name: "etc", hostPath: { path: "/etc" } });
    // The run's own part, then the kubelet's: the worker sees it to its end.
    await t.client.setFlowRunState(run.id, { type: "RUNNING" });
    await t.client.setFlowRunState(run.id, { type: "COMPLETED" });
    kube.podSucceeded(jobName);
    expect((await waitForState(t.client, run.id, ["COMPLETED", "CRASHED"])).state_type).toBe("COMPLETED");
    await waitFor(() => workers.every((w) => w.worker.running === 0), "every worker to be done with its runs");
  });
});

/*
 * The Kubernetes worker through the real @kubernetes/client-node, the real Baton server and the
 * real worker loop (startWorker with a kubernetes pool), against the API test server of
 * test/helpers/kube-api-server/. No pod runs anything here: the test plays the kubelet (pod
 * phases, image pull failures, evictions, OOM kills, the pod's output) and the flow run's part
 * (its Running and final states, set through the Baton API while the simulated pod is Running).
 *
 * What this verifies: the Job and Secret the worker sends (validated with validateJobManifest,
 * labels, secretKeyRef env, ownerReferences, git credentials), the REST calls and watch streams
 * as client-node makes them, and how the worker turns pod and Job states into run states and logs.
 * What it does not verify against a real cluster: that the Job's pod actually starts, pulls,
 * mounts the Secrets, clones over SSH from the init container's files, reaches the server, or
 * that RBAC, admission and the Job controller behave as simulated.
 */
import type { FlowRun } from "@baton/core";
import { validateJobManifest, type RunningWorker } from "@baton/worker";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { runBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startKubeApiServer, type KubeApiServer } from "../helpers/kube-api-server/index.js";
import { createPool } from "./pool-templates.js";
import { startKubernetesWorker, watchedJobOf, type KubernetesWorker } from "./worker-kubernetes-setup.js";
import { runLogs, startTestServer, waitForState, type TestServer } from "./worker-setup.js";

const POOL = "k8s";
const WORKER = "k8s-worker-1";

describe.each(DATABASE_KINDS)("a Kubernetes worker on %s", (kind) => {
  let t: TestServer;
  let kube: KubeApiServer;
  let worker: RunningWorker;
  let k8s: KubernetesWorker;
  const errors: string[] = [];
  let deploymentId = "";

  beforeAll(async () => {
    t = await startTestServer(kind);
    kube = await startKubeApiServer();
    await t.client.call("setSecret", { params: { name: "db-password" }, body: { value: "s3cr3t-db-password", work_pools: ["*"] } });
    // One team's pool: its admin lets deployments name their namespace and git credential Secrets.
    await createPool(t, POOL, "kubernetes", { unlock: ["namespace", "git_ssh_secret", "git_token_secret"] });
    k8s = await startKubernetesWorker(t, kube, {
      pool: POOL,
      name: WORKER,
      cancelCheckSeconds: 1,
      graceSeconds: 7,
      onEvent: (e) => {
        if (e.type === "error") errors.push(e.message);
      },
      onInfraError: (e) => errors.push(String(e)),
    });
    worker = k8s.worker;
    const { deployment } = await t.client.call("upsertDeployment", {
      body: {
        flow_name: "etl",
        name: "nightly",
        entrypoint: "flows/etl.ts:etl",
        pull_steps: [],
        work_pool_name: POOL,
        job_variables: {
          image: "registry.example.com/team/etl:1.4.2",
          namespace: "default",
          env: { LOG_FORMAT: "json", DB_PASSWORD: "{{ baton.secrets.db-password }}" },
          labels: { team: "data" },
          cpu_request: "250m",
          memory_limit: "512Mi",
          git_ssh_secret: "etl-deploy-key",
          git_token_secret: "gitlab-token",
          image_pull_secrets: ["regcred"],
          pod_watch_timeout_seconds: 3,
          stream_output: true,
        },
      },
    });
    deploymentId = deployment.id;
  }, 60_000);

  afterAll(async () => {
    await k8s?.stop();
    await kube?.close();
    await t?.close();
  }, 60_000);

  /** Jobs the tests had the worker send, counted so the last test checks them all. */
  let jobsStarted = 0;
  const startRun = async () => {
    const run = await t.client.call("runDeployment", { params: { id: deploymentId }, body: { parameters: {} } });
    const { jobName } = await watchedJobOf(kube, run.id);
    jobsStarted++;
    await waitFor(() => kube.secrets().find((s) => s.metadata.name === `${jobName}-baton`), "the run's Secret");
    return { run, jobName };
  };
  /** A started run whose pod runs (before pod_watch_timeout_seconds ends it), as the tests play it. */
  const runningRun = async () => {
    const started = await startRun();
    kube.podRunning(started.jobName);
    await playRunning(started.run.id);
    return started;
  };
  /** Ends a running run as the cancel test shows. */
  const cancelRun = async ({ run }: { run: { id: string } }) => {
    await t.client.call("cancelFlowRun", { params: { id: run.id } });
    await waitForState(t.client, run.id, ["CANCELLED"]);
  };
  /** The Job exactly as the worker sent it. */
  const sentJob = (jobName: string) => kube.requests.find((r) => r.method === "POST" && r.path.endsWith("/jobs") && (r.body as { metadata: { name: string } }).metadata.name === jobName)!.body;
  /** The flow run's own part, as `baton flow-run execute` in the pod would report it. */
  const playRunning = (id: string) => t.client.setFlowRunState(id, { type: "RUNNING" });

  test("a run that succeeds: a valid Job with Baton's labels, secrets only by reference, the pod's output in the run's logs", async () => {
    const { run, jobName } = await startRun();
    const job = sentJob(jobName) as Record<string, any>;
    expect(() => validateJobManifest(job)).not.toThrow();
    expect(job.metadata.labels).toMatchObject({
      team: "data",
      "baton.io/flow-run-id": run.id,
      "baton.io/deployment-id": deploymentId,
      "baton.io/flow-id": run.flow_id,
      "baton.io/worker": WORKER,
      "baton.io/work-pool": POOL,
    });
    const pod = job.spec.template.spec;
    const container = pod.containers[0];
    expect(container).toMatchObject({ name: "flow-run", image: "registry.example.com/team/etl:1.4.2", command: ["baton", "flow-run", "execute"], resources: { requests: { cpu: "250m" }, limits: { memory: "512Mi" } } });
    expect(pod.imagePullSecrets).toEqual([{ name: "regcred" }]);
    const env = Object.fromEntries((container.env as Array<{ name: string }>).map((e) => [e.name, e]));
    expect(env.LOG_FORMAT).toEqual({ name: "LOG_FORMAT", value: "json" });
    const secretName = `${jobName}-baton`;
    expect(env.DB_PASSWORD).toEqual({ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: secretName, key: "DB_PASSWORD" } } });
    expect(env.BATON_API_URL).toEqual({ name: "BATON_API_URL", valueFrom: { secretKeyRef: { name: secretName, key: "BATON_API_URL" } } });
    expect(env.GIT_TOKEN).toEqual({ name: "GIT_TOKEN", valueFrom: { secretKeyRef: { name: "gitlab-token", key: "token" } } });
    expect(env.GIT_SSH_COMMAND.value).toContain("StrictHostKeyChecking=yes");
    expect(env.BATON_SECRET_ENV).toEqual({ name: "BATON_SECRET_ENV", value: "DB_PASSWORD" });
    // The deploy key reaches the flow's container only through the init container's 0400 copy.
    expect(pod.volumes).toContainEqual({ name: "baton-git-ssh-secret", secret: { secretName: "etl-deploy-key", defaultMode: 0o444 } });
    expect(pod.initContainers[0]).toMatchObject({ name: "baton-git-ssh-key", image: "registry.example.com/team/etl:1.4.2" });
    expect(pod.initContainers[0].command[2]).toContain("chmod 0400");
    expect(container.volumeMounts).toContainEqual({ name: "baton-git-ssh", mountPath: "/etc/baton/git-ssh", readOnly: true });
    expect(JSON.stringify(job)).not.toContain("s3cr3t-db-password");
    expect(JSON.stringify(job)).not.toContain(t.apiUrl);
    // The Secret holds the values, and is owned by the Job so Kubernetes deletes it with it.
    const secret = kube.secrets().find((s) => s.metadata.name === secretName)!;
    expect(Buffer.from(secret.data.DB_PASSWORD, "base64").toString()).toBe("s3cr3t-db-password");
    expect(Buffer.from(secret.data.BATON_API_URL, "base64").toString()).toBe(t.apiUrl);
    expect(secret.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: "Job", name: jobName, uid: kube.job(jobName)!.metadata.uid })]);

    kube.podRunning(jobName);
    await playRunning(run.id);
    kube.appendLog(jobName, "extracting 3 tables\nloaded 1200 rows\n");
    await waitFor(async () => (await runLogs(t.client, run.id)).includes("loaded 1200 rows"), "the pod's output in the run's logs");
    await t.client.setFlowRunState(run.id, { type: "COMPLETED" });
    kube.podSucceeded(jobName);
    await waitFor(() => worker.running === 0, "the worker to finish with the run");
    const done = await t.client.readFlowRun(run.id);
    expect(done.state_type, done.state.message ?? "").toBe("COMPLETED");
    expect(await runLogs(t.client, run.id)).toEqual(expect.arrayContaining(["extracting 3 tables", "loaded 1200 rows"]));
  });

  test("a run whose flow fails stays Failed (the pod's exit is not a crash)", async () => {
    const { run, jobName } = await startRun();
    kube.podRunning(jobName);
    await playRunning(run.id);
    await t.client.setFlowRunState(run.id, { type: "FAILED", message: "Flow run failed: ValueError" });
    kube.podFailed(jobName, 1);
    await waitFor(() => worker.running === 0, "the worker to finish with the run");
    const done = await t.client.readFlowRun(run.id);
    expect(done.state_type).toBe("FAILED");
    expect(done.state.message).toBe("Flow run failed: ValueError");
  });

  test("an evicted pod leaves its Running run Crashed with the node's reason", async () => {
    const { run, jobName } = await startRun();
    kube.podRunning(jobName);
    await playRunning(run.id);
    kube.podEvicted(jobName, "The node was low on resource: ephemeral-storage.");
    const done = await waitForState(t.client, run.id, ["CRASHED"]);
    expect(done.state.message).toMatch(new RegExp(`Kubernetes Job default/${jobName}: the pod was evicted: The node was low on resource: ephemeral-storage\\.`));
  });

  test("an OOM-killed container leaves the run Crashed, saying to raise memory_limit", async () => {
    const { run, jobName } = await startRun();
    kube.podRunning(jobName);
    await playRunning(run.id);
    kube.podOOMKilled(jobName);
    const done = await waitForState(t.client, run.id, ["CRASHED"]);
    expect(done.state.message).toMatch(/OOM-killed \(exit code 137\): raise memory_limit/);
  });

  test("an image that cannot be pulled: the reason is logged on the run while Pending, then the run is Crashed and its Job deleted", async () => {
    const { run, jobName } = await startRun();
    const why = 'Failed to pull image "registry.example.com/team/etl:1.4.2": rpc error: code = NotFound desc = manifest unknown';
    kube.podImagePullFailing(jobName, why);
    await waitFor(async () => (await runLogs(t.client, run.id)).find((l) => l.includes("is Pending: ErrImagePull")), "the Pending reason on the run");
    expect((await runLogs(t.client, run.id)).find((l) => l.includes("ErrImagePull"))).toContain(why);
    const done: FlowRun = await waitForState(t.client, run.id, ["CRASHED"]);
    expect(done.state.message).toContain("the pod did not start within 3s (pod_watch_timeout_seconds); last: ErrImagePull: Failed to pull image");
    await waitFor(() => !kube.job(jobName), "the stuck Job to be deleted");
  });

  test("an unschedulable pod's reason is logged on the run", async () => {
    const { run, jobName } = await startRun();
    kube.podUnschedulable(jobName, "0/3 nodes are available: 3 Insufficient memory.");
    await waitFor(async () => (await runLogs(t.client, run.id)).find((l) => l.includes("is Pending: Unschedulable: 0/3 nodes are available: 3 Insufficient memory.")), "the scheduler's reason on the run");
    await waitForState(t.client, run.id, ["CRASHED"]);
  });

  test("cancelling a run deletes its Job with Foreground propagation and a grace period; the run ends Cancelled", async () => {
    const { run, jobName } = await startRun();
    kube.podRunning(jobName);
    await playRunning(run.id);
    await t.client.call("cancelFlowRun", { params: { id: run.id } });
    const done = await waitForState(t.client, run.id, ["CANCELLED"]);
    expect(done.state_type).toBe("CANCELLED");
    const deletion = kube.requests.find((r) => r.method === "DELETE" && r.path.endsWith(`/jobs/${jobName}`))!;
    expect(deletion.query).toMatchObject({ propagationPolicy: "Foreground", gracePeriodSeconds: "7" });
    expect(kube.job(jobName)).toBeUndefined();
    expect(kube.secrets().find((s) => s.metadata.name === `${jobName}-baton`)).toBeUndefined();
  });

  test("a Job deleted by someone else, or failed by the Job controller, leaves its run Crashed with why", async () => {
    const deleted = await startRun();
    kube.podRunning(deleted.jobName);
    await playRunning(deleted.run.id);
    kube.deleteJob(deleted.jobName);
    expect((await waitForState(t.client, deleted.run.id, ["CRASHED"])).state.message).toContain(`the Job default/${deleted.jobName} was deleted`);

    const deadline = await startRun();
    kube.podRunning(deadline.jobName);
    await playRunning(deadline.run.id);
    kube.failJob(deadline.jobName, "DeadlineExceeded", "Job was active longer than specified deadline");
    expect((await waitForState(t.client, deadline.run.id, ["CRASHED"])).state.message).toContain("the Job failed: DeadlineExceeded: Job was active longer than specified deadline");
  });

  test("a watch the API server closes is opened again", async () => {
    const { run, jobName } = await startRun();
    kube.closeWatches();
    const labels = kube.job(jobName)!.metadata.labels;
    await waitFor(() => kube.isWatched("pods", labels) && kube.isWatched("jobs", labels), "the worker to watch again");
    kube.podRunning(jobName);
    await playRunning(run.id);
    await t.client.setFlowRunState(run.id, { type: "COMPLETED" });
    kube.podSucceeded(jobName);
    await waitFor(() => worker.running === 0, "the worker to see the pod end through a new watch");
    expect((await t.client.readFlowRun(run.id)).state_type).toBe("COMPLETED");
  });

  test("each watch starts from its list's resourceVersion: a Job deleted between the list and the watch is not missed", async () => {
    const { run, jobName } = await startRun();
    kube.podRunning(jobName);
    await playRunning(run.id);
    // The watches end; the worker lists again, and its new watches are slow to open.
    kube.holdWatches();
    kube.closeWatches();
    try {
      await waitFor(() => kube.heldWatches("jobs") >= 1 && kube.heldWatches("pods") >= 1, "the worker to list again and ask to watch");
      kube.deleteJob(jobName);
    } finally {
      kube.releaseWatches();
    }
    const done = await waitForState(t.client, run.id, ["CRASHED"]);
    expect(done.state.message).toContain(`Kubernetes Job default/${jobName}: the Job default/${jobName} was deleted`);
    const watches = kube.requests.filter((r) => r.query.watch === "true" && r.query.labelSelector?.includes(run.id));
    expect(watches.length).toBeGreaterThanOrEqual(4);
    expect(watches.every((r) => /^\d+$/.test(r.query.resourceVersion ?? ""))).toBe(true);
  });

  /** A deployment whose Job only goes wrong at launch, used by the two tests that follow. */
  const deployBadQuantity = async () => {
    // "lots" written here is refused on deploy (the pool's schema has a quantity pattern); from a variable it is only known at launch.
    await t.client.call("setVariable", { params: { name: "etl-memory" }, body: { value: "lots" } });
    const { deployment } = await t.client.call("upsertDeployment", {
      body: { flow_name: "etl", name: "bad-quantity", entrypoint: "flows/etl.ts:etl", pull_steps: [], work_pool_name: POOL, job_variables: { memory_limit: "{{ baton.variables.etl-memory }}", labels: { team: "data science" } } },
    });
    return deployment;
  };

  test("a Job the template gets wrong is refused before it is sent, naming the field", async () => {
    const deployment = await deployBadQuantity();
    const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: {} } });
    const done = await waitForState(t.client, run.id, ["CRASHED"]);
    expect(done.state.message).toContain("job_manifest.spec.template.spec.containers[0].resources.limits.memory");
    expect(done.state.message).toContain("job_manifest.metadata.labels.team");
    expect(kube.jobs().find((j) => j.metadata.labels?.["baton.io/flow-run-id"] === run.id)).toBeUndefined();
  });

  test("baton deployment preview prints the Job a run creates, secrets as references; a bad one exits 1 naming the fields", async () => {
    const env = { BATON_API_URL: t.apiUrl, BATON_API_KEY: t.apiKey, BATON_HOME: t.home.path };
    await deployBadQuantity();
    // A run of its own, to compare the preview with the Job the worker sent for it.
    const started = await runningRun();
    const ok = await runBaton(["deployment", "preview", "etl/nightly"], { env });
    expect(ok.code, ok.stderr).toBe(0);
    const previewed = parseYaml(ok.stdout) as Record<string, any>;
    expect(() => validateJobManifest(previewed)).not.toThrow();
    const sent = sentJob(started.jobName) as Record<string, any>;
    // The same Job as the worker's but for what only a run has (its name, id and worker).
    expect(previewed.spec.template.spec.initContainers).toEqual(sent.spec.template.spec.initContainers);
    expect(previewed.spec.template.spec.containers[0].resources).toEqual(sent.spec.template.spec.containers[0].resources);
    const password = previewed.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === "DB_PASSWORD");
    expect(password.valueFrom.secretKeyRef.key).toBe("DB_PASSWORD");
    expect(ok.stdout).not.toContain("s3cr3t");
    const bad = await runBaton(["deployment", "preview", "etl/bad-quantity", "--job-variable", "cpu_limit=lots"], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("job_manifest.spec.template.spec.containers[0].resources.limits.cpu: \"lots\" is not a Kubernetes quantity");
    expect(bad.stderr).toContain("job_manifest.spec.template.spec.containers[0].resources.limits.memory");
    await cancelRun(started);
  });

  test("every Job the worker sent passes validateJobManifest, and nothing went wrong on the way", async () => {
    // At least one Job of its own, so that it checks something when it runs alone.
    await cancelRun(await runningRun());
    const sent = kube.requests.filter((r) => r.method === "POST" && r.path.endsWith("/jobs"));
    // Every run the tests started sent its Job (all of the file's: 12 when it runs whole).
    expect(sent.length).toBeGreaterThanOrEqual(jobsStarted);
    for (const r of sent) expect(() => validateJobManifest(r.body)).not.toThrow();
    expect(errors.filter((e) => !/aborted/i.test(e))).toEqual([]);
  });
});

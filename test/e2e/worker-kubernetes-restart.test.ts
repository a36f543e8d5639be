/*
 * A Kubernetes worker that dies and is started again (same name) finds the Jobs it launched among
 * its pool's (baton.io/work-pool label) and follows them again: a pod evicted after the restart leaves its
 * run Crashed, a run cancelled after the restart has its Job deleted and ends Cancelled, and a Job
 * that had already finished is left alone. The first worker is a process of its own (killed with
 * SIGKILL, as a node failure would); it reaches the API test server through a kubeconfig file
 * ($KUBECONFIG), the path a worker outside the cluster takes. See worker-kubernetes.test.ts for
 * what the API test server does and does not verify. A worker with another name (a Deployment's
 * replacement pod) adopts the Jobs of a worker once that worker is Offline, never while it is Online.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startWorker, validateJobManifest } from "@baton/worker";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startKubeApiServer, type KubeApiServer } from "../helpers/kube-api-server/index.js";
import { tempDir } from "../helpers/tmp.js";
import { startTestServer, startWorkerProcess, waitForState, type TestServer } from "./worker-setup.js";
import { createPool } from "./pool-templates.js";

const POOL = "k8s-restart";
const WORKER = "restart-worker";

describe.each(DATABASE_KINDS)("a Kubernetes worker restarted on %s", (kind) => {
  let t: TestServer;
  let kube: KubeApiServer;
  const dir = tempDir("baton-kubeconfig-");
  const kubeconfig = join(dir.path, "config");

  beforeAll(async () => {
    t = await startTestServer(kind);
    kube = await startKubeApiServer();
    const o = kube.kubeConfigOptions();
    // A kubeconfig file as kubectl writes it (YAML is a superset of this JSON).
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "test", cluster: { server: kube.url, "insecure-skip-tls-verify": true } }],
        users: [{ name: "test", user: { token: "test-token" } }],
        contexts: [{ name: "test", context: { cluster: "test", user: "test", namespace: "default" } }],
        "current-context": o.currentContext,
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await kube?.close();
    await t?.close();
    dir.remove();
  });

  test("finds its Jobs again by label and sees them to an end", async () => {
    // Its admin lets deployments choose their namespace (locked by default).
    await createPool(t, POOL, "kubernetes", { unlock: ["namespace"] });
    const workerA = startWorkerProcess(t, { pool: POOL, type: "kubernetes", name: WORKER, pollWaitSeconds: 1, heartbeatSeconds: 1 }, { KUBECONFIG: kubeconfig });
    await workerA.waitForEvent("started");
    const { deployment } = await t.client.call("upsertDeployment", {
      body: { flow_name: "etl", name: "restart", entrypoint: "flows/etl.ts:etl", pull_steps: [], work_pool_name: POOL, job_variables: { image: "registry.example.com/team/etl:2.0" } },
    });
    // A deployment whose Jobs go to another namespace than the pool's default: found there too.
    const { deployment: teamA } = await t.client.call("upsertDeployment", {
      body: { flow_name: "etl", name: "restart-team-a", entrypoint: "flows/etl.ts:etl", pull_steps: [], work_pool_name: POOL, job_variables: { image: "registry.example.com/team/etl:2.0", namespace: "team-a" } },
    });
    const jobOf = (id: string) => kube.waitForJob((j) => j.metadata.labels?.["baton.io/flow-run-id"] === id);
    const runs = [];
    for (const d of [teamA, deployment, deployment]) runs.push(await t.client.call("runDeployment", { params: { id: d.id }, body: { parameters: {} } }));
    const [evicted, cancelled, finished] = runs as [(typeof runs)[number], (typeof runs)[number], (typeof runs)[number]];
    const jobs = await Promise.all(runs.map((r) => jobOf(r.id)));
    for (const job of jobs) {
      expect(job.metadata.labels["baton.io/worker"]).toBe(WORKER);
      expect(job.metadata.annotations?.["baton.io/worker-name"]).toBe(WORKER);
      expect(() => validateJobManifest(kube.requests.find((r) => r.method === "POST" && (r.body as any)?.metadata?.name === job.metadata.name)!.body)).not.toThrow();
      kube.podRunning(job.metadata.name);
    }
    for (const r of runs) await t.client.setFlowRunState(r.id, { type: "RUNNING" });
    // The third run ends while no worker is there to see it.
    workerA.child.kill("SIGKILL");
    await workerA.stop();
    await t.client.setFlowRunState(finished.id, { type: "COMPLETED" });
    kube.podSucceeded(jobs[2]!.metadata.name);

    const before = kube.requests.length;
    const since = () => kube.requests.slice(before);
    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig;
    const errors: string[] = [];
    const workerB = await startWorker({
      pool: POOL,
      name: WORKER,
      client: t.client,
      apiUrl: t.apiUrl,
      pollWaitSeconds: 1,
      heartbeatSeconds: 1,
      onEvent: (e) => {
        if (e.type === "error") errors.push(e.message);
      },
    });
    try {
      const list = await waitFor(
        () => since().find((r) => r.method === "GET" && r.path.endsWith("/jobs") && r.query.watch !== "true"),
        "the restarted worker to list its Jobs",
      );
      expect(list.query.labelSelector).toBe(`baton.io/work-pool=${POOL}`);
      expect(jobs[0]!.metadata.namespace).toBe("team-a");
      await waitFor(() => since().some((r) => r.method === "GET" && r.path === "/apis/batch/v1/namespaces/team-a/jobs" && r.query.watch !== "true"), "the restarted worker to list its Jobs in team-a");
      // Followed again: the watches of the two unfinished runs are open before the pods change.
      await waitFor(() => since().filter((r) => r.query.watch === "true" && r.path.endsWith("/pods")).filter((r) => [evicted.id, cancelled.id].some((id) => r.query.labelSelector?.includes(id))).length >= 2, "watches on the reattached runs' pods");
      kube.podEvicted(jobs[0]!.metadata.name, "The node had condition: [DiskPressure].");
      const crashed = await waitForState(t.client, evicted.id, ["CRASHED"]);
      expect(crashed.state.message).toContain(`Kubernetes Job team-a/${jobs[0]!.metadata.name}: the pod was evicted: The node had condition: [DiskPressure].`);

      await t.client.call("cancelFlowRun", { params: { id: cancelled.id } });
      await waitForState(t.client, cancelled.id, ["CANCELLED"]);
      const deletion = kube.requests.find((r) => r.method === "DELETE" && r.path.endsWith(`/jobs/${jobs[1]!.metadata.name}`));
      expect(deletion?.query.propagationPolicy).toBe("Foreground");
      expect((await t.client.readFlowRun(finished.id)).state_type).toBe("COMPLETED");
      expect(kube.job(jobs[2]!.metadata.name)).toBeDefined();
      expect(errors).toEqual([]);
    } finally {
      await workerB.stop();
      if (previous === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous;
    }
  });

  test("a worker with another name adopts the Jobs of a worker once it is Offline, not while it is Online", async () => {
    const pool = "k8s-adopt";
    const workerA = startWorkerProcess(t, { pool, type: "kubernetes", name: "worker-pod-a", pollWaitSeconds: 1, heartbeatSeconds: 1 }, { KUBECONFIG: kubeconfig });
    await workerA.waitForEvent("started");
    const { deployment } = await t.client.call("upsertDeployment", {
      body: { flow_name: "etl", name: "adopt", entrypoint: "flows/etl.ts:etl", pull_steps: [], work_pool_name: pool, job_variables: { image: "registry.example.com/team/etl:2.0" } },
    });
    const runs = [];
    for (let i = 0; i < 2; i++) runs.push(await t.client.call("runDeployment", { params: { id: deployment.id }, body: { parameters: {} } }));
    const [cancelled, evicted] = runs as [(typeof runs)[number], (typeof runs)[number]];
    const jobs = await Promise.all(runs.map((r) => kube.waitForJob((j) => j.metadata.labels?.["baton.io/flow-run-id"] === r.id)));
    for (const job of jobs) kube.podRunning(job.metadata.name);
    for (const r of runs) await t.client.setFlowRunState(r.id, { type: "RUNNING" });

    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig;
    const errors: string[] = [];
    const reattached: string[] = [];
    // Counts the worker's looks at the pool's workers: each is one adoption pass weighing worker A's Jobs.
    let workerLookups = 0;
    const client = new Proxy(t.client, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop === "call") return (name: string, ...rest: unknown[]) => {
          if (name === "listWorkers") workerLookups++;
          return (value as (...a: unknown[]) => unknown).call(target, name, ...rest);
        };
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const workerB = await startWorker({
      pool,
      name: "worker-pod-b",
      client,
      apiUrl: t.apiUrl,
      pollWaitSeconds: 1,
      heartbeatSeconds: 1,
      onEvent: (e) => {
        if (e.type === "error") errors.push(e.message);
        if (e.type === "reattached") reattached.push(e.flowRunId);
      },
    });
    try {
      // Two adoption passes while worker A is Online: its Jobs stay its own.
      await waitFor(() => workerLookups >= 2, "worker B to weigh worker A's Jobs twice", 60_000);
      expect(reattached).toEqual([]);

      workerA.child.kill("SIGKILL");
      await workerA.stop();
      const afterKill = kube.requests.length;
      await waitFor(() => reattached.length >= 2 || undefined, "worker B to adopt worker A's Jobs", 60_000);
      expect(reattached.sort()).toEqual(runs.map((r) => r.id).sort());
      const workers = (await t.client.call("listWorkers", { params: { name: pool } })).items;
      expect(workers.find((w) => w.name === "worker-pod-a")?.status).toBe("OFFLINE");
      await waitFor(() => kube.requests.slice(afterKill).filter((r) => r.query.watch === "true" && r.path.endsWith("/pods")).filter((r) => runs.some((run) => r.query.labelSelector?.includes(run.id))).length >= 2, "worker B's watches on the adopted runs' pods");

      await t.client.call("cancelFlowRun", { params: { id: cancelled.id } });
      await waitForState(t.client, cancelled.id, ["CANCELLED"], 60_000);
      const deletion = kube.requests.find((r) => r.method === "DELETE" && r.path.endsWith(`/jobs/${jobs[0]!.metadata.name}`));
      expect(deletion?.query.propagationPolicy).toBe("Foreground");

      kube.podEvicted(jobs[1]!.metadata.name, "The node was low on resource: memory.");
      const crashed = await waitForState(t.client, evicted.id, ["CRASHED"], 60_000);
      expect(crashed.state.message).toContain(`Kubernetes Job default/${jobs[1]!.metadata.name}: the pod was evicted`);
      expect(errors).toEqual([]);
    } finally {
      await workerB.stop();
      if (previous === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous;
    }
  }, 180_000);
});

/*
 * A run sent back to Scheduled by crash_retries comes back under the same Job name. These drive
 * createJobReplacingLostAttempt with @kubernetes/client-node against the API test server, in each
 * state the lost attempt's Job can be in when the next attempt is created, including the race CI
 * found: the Job is gone between the create's 409 and the read that follows it.
 */
import { BatchV1Api, KubeConfig, type V1Job } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { askKubernetes } from "../../packages/worker/src/kubernetes/api-error.js";
import { createJobReplacingLostAttempt } from "../../packages/worker/src/kubernetes/previous-attempt.js";
import { startKubeApiServer, type KubeApiServer } from "../helpers/kube-api-server/index.js";

const RUN = "run-1";
const jobOf = (name: string, flowRunId = RUN): V1Job => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name, labels: { "baton.io/flow-run-id": flowRunId } },
  spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "flow-run", image: "x" }] } } },
});

describe("the next attempt's Job takes the lost attempt's name", () => {
  let kube: KubeApiServer;
  let batch: BatchV1Api;

  beforeAll(async () => {
    kube = await startKubeApiServer();
    const kc = new KubeConfig();
    kc.loadFromOptions(kube.kubeConfigOptions());
    batch = kc.makeApiClient(BatchV1Api);
  });
  afterAll(async () => kube?.close());

  test("a finished Job of the same run is deleted, and the new one created once it is gone", async () => {
    const first = await batch.createNamespacedJob({ namespace: "default", body: jobOf("a-1") });
    kube.podOOMKilled("a-1");
    const second = await createJobReplacingLostAttempt(batch, "default", jobOf("a-1"), RUN, 5_000);
    expect(second.metadata?.uid).not.toBe(first.metadata?.uid);
    expect(kube.job("a-1")?.metadata.uid).toBe(second.metadata?.uid);
  });

  test("a Job already being deleted is waited for", async () => {
    await batch.createNamespacedJob({ namespace: "default", body: jobOf("b-1") });
    kube.podEvicted("b-1");
    await batch.deleteNamespacedJob({ name: "b-1", namespace: "default", propagationPolicy: "Foreground" });
    const second = await createJobReplacingLostAttempt(batch, "default", jobOf("b-1"), RUN, 5_000);
    expect(kube.job("b-1")?.metadata.uid).toBe(second.metadata?.uid);
  });

  test("a Job gone between the 409 and the read (its deletion just finished) does not fail the launch", async () => {
    await batch.createNamespacedJob({ namespace: "default", body: jobOf("c-1") });
    kube.podEvicted("c-1");
    // The lost attempt's deletion finishes after the create's 409 and before the read that follows
    // it, as it did on a loaded CI machine.
    let raced = false;
    const slowRead = new Proxy(batch, {
      get(target, prop, receiver) {
        if (prop !== "readNamespacedJob") return Reflect.get(target, prop, receiver);
        return async (args: { name: string; namespace: string }) => {
          if (!raced) await target.deleteNamespacedJob({ ...args, propagationPolicy: "Background" });
          raced = true;
          return target.readNamespacedJob(args);
        };
      },
    });
    const second = await createJobReplacingLostAttempt(slowRead, "default", jobOf("c-1"), RUN, 5_000);
    expect(raced).toBe(true);
    expect(kube.job("c-1")?.metadata.uid).toBe(second.metadata?.uid);
  });

  test("a Job of that name that belongs to another run, or still runs, is left alone and the 409 stands", async () => {
    await batch.createNamespacedJob({ namespace: "default", body: jobOf("d-1", "other-run") });
    kube.podOOMKilled("d-1");
    await expect(createJobReplacingLostAttempt(batch, "default", jobOf("d-1"), RUN, 1_000)).rejects.toMatchObject({ code: 409 });
    await batch.createNamespacedJob({ namespace: "default", body: jobOf("e-1") });
    kube.podRunning("e-1");
    await expect(createJobReplacingLostAttempt(batch, "default", jobOf("e-1"), RUN, 1_000)).rejects.toMatchObject({ code: 409 });
    expect(kube.job("e-1")?.metadata.deletionTimestamp).toBeUndefined();
  });

  test("the 409 that stands reaches the run as the cluster's Status, not client-node's raw dump", async () => {
    await batch.createNamespacedJob({ namespace: "default", body: jobOf("f-1", "other-run") });
    kube.podRunning("f-1");
    const refused = await askKubernetes("create Job default/f-1", () => createJobReplacingLostAttempt(batch, "default", jobOf("f-1"), RUN, 1_000)).catch((e: unknown) => e as Error);
    expect(refused).toMatchObject({ name: "KubernetesApiError", code: 409 });
    expect(refused.message).toMatch(/^the Kubernetes API refused to create Job default\/f-1 \(HTTP 409 AlreadyExists\): .*"f-1" already exists$/);
    expect(refused.message).not.toContain("HTTP-Code");
  });
});

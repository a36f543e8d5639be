import { KubeConfig } from "@kubernetes/client-node";
import { KubernetesInfrastructure, startWorker, type RunningWorker, type StartWorkerOptions } from "@baton/worker";
import { waitFor } from "../helpers/cli.js";
import type { KubeApiServer } from "../helpers/kube-api-server/index.js";
import type { TestServer } from "./worker-setup.js";

export interface KubernetesWorker {
  worker: RunningWorker;
  infrastructure: KubernetesInfrastructure;
  /** Stop claiming, end what still runs (its Jobs are deleted), stop following Jobs. */
  stop(): Promise<void>;
}

/** The real worker loop in this process, on a kubernetes pool, its client pointed at the API test server. */
export async function startKubernetesWorker(t: TestServer, kube: KubeApiServer, options: Omit<StartWorkerOptions, "client" | "infrastructure" | "type" | "apiUrl"> & { onInfraError(error: unknown): void }): Promise<KubernetesWorker> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions(kube.kubeConfigOptions());
  const { onInfraError, ...rest } = options;
  const infrastructure = new KubernetesInfrastructure({ client: t.client, kubeConfig, workPool: options.pool, onError: onInfraError, ...(options.hostAccess ? { hostAccess: options.hostAccess } : {}) });
  const worker = await startWorker({ type: "kubernetes", client: t.client, apiUrl: t.apiUrl, infrastructure, pollWaitSeconds: 1, heartbeatSeconds: 1, ...rest });
  return {
    worker,
    infrastructure,
    async stop() {
      // Runs still launched at this point have their Jobs deleted by the second stop.
      const stopping = worker.stop();
      void worker.stop();
      await stopping;
      infrastructure.close();
    },
  };
}

/** A Job of the run the worker created (one whose uid is not in `seen`), once the worker watches it and its pod. */
export async function watchedJobOf(kube: KubeApiServer, flowRunId: string, seen = new Set<string>()): Promise<{ jobName: string; job: Record<string, any> }> {
  const job = await kube.waitForJob((j) => j.metadata.labels?.["baton.io/flow-run-id"] === flowRunId && !seen.has(j.metadata.uid), 60_000);
  seen.add(job.metadata.uid);
  // What the test does to the Job or its pod from here on is seen by the worker.
  await waitFor(() => kube.isWatched("jobs", job.metadata.labels) && kube.isWatched("pods", job.metadata.labels), "the worker to watch the Job and its pod");
  return { jobName: job.metadata.name as string, job };
}

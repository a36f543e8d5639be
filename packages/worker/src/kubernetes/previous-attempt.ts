import type { BatchV1Api, V1Job } from "@kubernetes/client-node";
import { statusOf } from "./api-error.js";
import { LABELS } from "./build-job.js";
import { jobFinished } from "./pod-status.js";

/**
 * Creates a run's Job. A run sent back to Scheduled by crash_retries comes back under the same
 * Job name; if the Job of its lost attempt is still there (finished, or on its way out), it is
 * deleted and the create waits until it is gone. A Job of that name that belongs to another run,
 * or that still runs, is left alone and the 409 stands.
 */
export async function createJobReplacingLostAttempt(batch: BatchV1Api, namespace: string, manifest: V1Job, flowRunId: string, timeoutMs = 60_000): Promise<V1Job> {
  try {
    return await batch.createNamespacedJob({ namespace, body: manifest });
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
    const name = manifest.metadata!.name!;
    const existing = await batch.readNamespacedJob({ name, namespace }).catch((e: unknown) => (statusOf(e) === 404 ? undefined : Promise.reject(e)));
    // Gone between the create and the read: the lost attempt's deletion (started when the run was
    // sent back to Scheduled) has just finished, so the name is free now.
    if (!existing) return batch.createNamespacedJob({ namespace, body: manifest });
    const sameRun = existing.metadata?.labels?.[LABELS.flowRunId] === flowRunId;
    if (!sameRun || !(jobFinished(existing) || existing.metadata?.deletionTimestamp)) throw error;
    if (!existing.metadata?.deletionTimestamp) await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: "Foreground" }).catch(ignoreNotFound);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const still = await batch.readNamespacedJob({ name, namespace }).catch((e: unknown) => (statusOf(e) === 404 ? undefined : Promise.reject(e)));
      if (!still) return batch.createNamespacedJob({ namespace, body: manifest });
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the Job ${namespace}/${name} of this run's previous attempt was still being deleted after ${Math.round(timeoutMs / 1000)}s; the new attempt could not be created under its name`, { cause: error });
  }
}

/** Deletes the Job of an attempt that was lost (the run goes back to Scheduled), so the next attempt can take its name. */
export async function deleteLostAttempt(batch: BatchV1Api, namespace: string, name: string): Promise<void> {
  await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: "Foreground" }).catch(ignoreNotFound);
}

function ignoreNotFound(error: unknown): void {
  if (statusOf(error) !== 404) throw error;
}

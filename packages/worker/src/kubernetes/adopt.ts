import type { BatchV1Api, V1Job } from "@kubernetes/client-node";
import type { Infrastructure } from "../infrastructure.js";
import { LABELS } from "./build-job.js";
import { toLabelValue } from "./names.js";
import { jobFinished } from "./pod-status.js";

export type AdoptOptions = Parameters<NonNullable<Infrastructure["adopt"]>>[0];

/**
 * What a worker that did not launch a Job needs to follow it as its launcher would: labels cut
 * names to 63 characters and replace characters, so the exact worker and run names and the
 * follow settings go in annotations.
 */
export const FOLLOW_ANNOTATIONS = {
  workerName: "baton.io/worker-name",
  flowRunName: "baton.io/flow-run-name",
  crashRetries: "baton.io/crash-retries",
  streamOutput: "baton.io/stream-output",
  podWatchTimeoutSeconds: "baton.io/pod-watch-timeout-seconds",
} as const;

export function followAnnotations(inputs: { workerName: string; flowRunName: string; crashRetries: number; streamOutput: boolean; podWatchTimeoutSeconds: number }): Record<string, string> {
  return {
    [FOLLOW_ANNOTATIONS.workerName]: inputs.workerName,
    [FOLLOW_ANNOTATIONS.flowRunName]: inputs.flowRunName,
    [FOLLOW_ANNOTATIONS.crashRetries]: String(inputs.crashRetries),
    [FOLLOW_ANNOTATIONS.streamOutput]: String(inputs.streamOutput),
    [FOLLOW_ANNOTATIONS.podWatchTimeoutSeconds]: String(inputs.podWatchTimeoutSeconds),
  };
}

/** States in which a run's Job is still the run's: anything else (final, back in Scheduled) is not followed. */
const FOLLOWED_STATES = new Set(["PENDING", "RUNNING", "CANCELLING"]);

export interface AdoptableJob {
  namespace: string;
  jobName: string;
  flowRunId: string;
  flowRunName: string;
  crashRetries: number;
  streamOutput: boolean;
  podWatchTimeoutSeconds: number;
}

const wholeNumber = (value: string | undefined, fallback: number, min: number) => {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(n) && n >= min ? n : fallback;
};

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
};

/**
 * The pool's Jobs (by the baton.io/work-pool label, in each namespace its Jobs use) that are
 * still running, not being deleted, whose run is Pending, Running or Cancelling, and whose
 * launcher is this worker (after a restart) or a worker that is gone (Offline: a Deployment's
 * replaced pod has a new name). Jobs of a worker that is still Online are its own business.
 * Jobs launched before the annotations existed fall back to the labels and the pool's defaults.
 */
export async function findAdoptableJobs(batch: BatchV1Api, namespaces: string[], options: AdoptOptions, defaults: { crashRetries: number }): Promise<AdoptableJob[]> {
  const found: AdoptableJob[] = [];
  const ownLabel = toLabelValue(options.workerName);
  for (const namespace of namespaces) {
    const jobs = await batch.listNamespacedJob({ namespace, labelSelector: `${LABELS.workPool}=${toLabelValue(options.pool)}` });
    for (const job of jobs.items) {
      const candidate = describeJob(job, namespace, defaults);
      if (!candidate || options.skip.has(candidate.flowRunId) || jobFinished(job) || job.metadata?.deletionTimestamp) continue;
      const annotations = job.metadata?.annotations ?? {};
      const launcher = annotations[FOLLOW_ANNOTATIONS.workerName];
      const mine = launcher !== undefined ? launcher === options.workerName : job.metadata?.labels?.[LABELS.worker] === ownLabel;
      if (!mine && !(await options.isWorkerGone(launcher ?? job.metadata?.labels?.[LABELS.worker] ?? ""))) continue;
      const run = await options.readRun(candidate.flowRunId).catch(() => undefined);
      if (!run || !FOLLOWED_STATES.has(run.state_type)) continue;
      found.push(candidate);
    }
  }
  return found;
}

/** What adopting a Job needs, from its annotations, or (a Job launched before they existed) its labels and the pool's defaults. */
export function describeJob(job: V1Job, namespace: string, defaults: { crashRetries: number }): AdoptableJob | undefined {
  const labels = job.metadata?.labels ?? {};
  const annotations = job.metadata?.annotations ?? {};
  const flowRunId = labels[LABELS.flowRunId];
  const jobName = job.metadata?.name;
  if (!flowRunId || !jobName) return undefined;
  return {
    namespace,
    jobName,
    flowRunId,
    flowRunName: annotations[FOLLOW_ANNOTATIONS.flowRunName] ?? labels[LABELS.flowRunName] ?? flowRunId,
    crashRetries: wholeNumber(annotations[FOLLOW_ANNOTATIONS.crashRetries], defaults.crashRetries, 0),
    streamOutput: annotations[FOLLOW_ANNOTATIONS.streamOutput] === "true",
    podWatchTimeoutSeconds: positive(annotations[FOLLOW_ANNOTATIONS.podWatchTimeoutSeconds], 300),
  };
}

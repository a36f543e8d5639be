import type { V1Job, V1Pod } from "@kubernetes/client-node";

export type PodOutcome =
  | { kind: "pending"; reason: string | undefined; message: string | undefined; permanent: boolean }
  | { kind: "running" }
  | { kind: "succeeded" }
  /** `lost`: the node or the kubelet ended it (evicted, OOM-killed), not the flow's own exit. */
  | { kind: "failed"; exitCode: number | null; reason: string; lost: boolean };

/** Waiting reasons that no retry of the kubelet can fix: the run is Crashed at once. */
const PERMANENT_WAITING = new Set(["InvalidImageName", "ErrImageNeverPull"]);

/** What a pod's status says, in the terms the run is told. */
export function podOutcome(pod: V1Pod): PodOutcome {
  const status = pod.status ?? {};
  const main = (status.containerStatuses ?? []).find((c) => c.name === "flow-run") ?? status.containerStatuses?.[0];
  if (status.phase === "Succeeded") return { kind: "succeeded" };
  if (status.phase === "Failed") {
    const terminated = main?.state?.terminated;
    if (status.reason === "Evicted") return { kind: "failed", exitCode: terminated?.exitCode ?? null, reason: `the pod was evicted: ${status.message ?? "no message"}`, lost: true };
    if (terminated?.reason === "OOMKilled") return { kind: "failed", exitCode: terminated.exitCode ?? 137, reason: `the container was OOM-killed (exit code ${terminated.exitCode ?? 137}): raise memory_limit`, lost: true };
    const why = status.reason ?? terminated?.reason ?? "Failed";
    const message = status.message ?? terminated?.message;
    return { kind: "failed", exitCode: terminated?.exitCode ?? null, reason: `the pod failed: ${why}${terminated?.exitCode !== undefined ? ` (exit code ${terminated.exitCode})` : ""}${message ? `: ${message}` : ""}`, lost: false };
  }
  if (status.phase === "Running") return { kind: "running" };
  const waiting = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].map((c) => c.state?.waiting).find((w) => w?.reason);
  if (waiting) return { kind: "pending", reason: waiting.reason, message: waiting.message, permanent: PERMANENT_WAITING.has(waiting.reason!) };
  const unscheduled = (status.conditions ?? []).find((c) => c.type === "PodScheduled" && c.status === "False");
  if (unscheduled) return { kind: "pending", reason: unscheduled.reason ?? "Unschedulable", message: unscheduled.message, permanent: false };
  return { kind: "pending", reason: undefined, message: undefined, permanent: false };
}

/** A Job that Kubernetes gave up on (backoff limit, deadline), with why. */
export function jobFailure(job: V1Job): string | undefined {
  const failed = (job.status?.conditions ?? []).find((c) => c.type === "Failed" && c.status === "True");
  return failed ? `the Job failed: ${failed.reason ?? "Failed"}${failed.message ? `: ${failed.message}` : ""}` : undefined;
}

export function jobFinished(job: V1Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
}

import type { V1Pod } from "@kubernetes/client-node";
import { expect, test } from "vitest";
import { podOutcome } from "./pod-status.js";

const waiting = (reason: string, message?: string): V1Pod => ({ status: { phase: "Pending", containerStatuses: [{ name: "flow-run", image: "x", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason, message } } }] } });

test("a pending pod says why: image pull (retried by the kubelet) or a name no pull can fix", () => {
  expect(podOutcome(waiting("ImagePullBackOff", "Back-off pulling image"))).toEqual({ kind: "pending", reason: "ImagePullBackOff", message: "Back-off pulling image", permanent: false });
  expect(podOutcome(waiting("InvalidImageName"))).toMatchObject({ kind: "pending", permanent: true });
  expect(podOutcome({ status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/2 nodes" }] } })).toMatchObject({ reason: "Unschedulable", message: "0/2 nodes" });
  expect(podOutcome({ status: { phase: "Pending" } })).toEqual({ kind: "pending", reason: undefined, message: undefined, permanent: false });
});

test("a failed pod's reason: evicted, OOM-killed, or its exit code", () => {
  expect(podOutcome({ status: { phase: "Failed", reason: "Evicted", message: "low on memory" } })).toMatchObject({ kind: "failed", reason: "the pod was evicted: low on memory", lost: true });
  const exited = (reason: string, exitCode: number): V1Pod => ({ status: { phase: "Failed", containerStatuses: [{ name: "flow-run", image: "x", imageID: "", ready: false, restartCount: 0, state: { terminated: { reason, exitCode } } }] } });
  expect(podOutcome(exited("OOMKilled", 137))).toMatchObject({ kind: "failed", exitCode: 137, reason: expect.stringContaining("OOM-killed"), lost: true });
  expect(podOutcome(exited("Error", 2))).toEqual({ kind: "failed", exitCode: 2, reason: "the pod failed: Error (exit code 2)", lost: false });
});

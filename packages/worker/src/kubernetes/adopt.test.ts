import { describe, expect, test } from "vitest";
import { describeJob, followAnnotations } from "./adopt.js";

const labels = { "baton.io/flow-run-id": "run-1", "baton.io/flow-run-name": "witty-otter", "baton.io/worker": "host-a-12" };

describe("describeJob", () => {
  test("reads back what the launching worker wrote in the Job's annotations", () => {
    const annotations = followAnnotations({ workerName: "host a/12", flowRunName: "witty otter", crashRetries: 2, streamOutput: true, podWatchTimeoutSeconds: 42.5 });
    expect(describeJob({ metadata: { name: "witty-otter-1234abcd", labels, annotations } }, "team-a", { crashRetries: 0 })).toEqual({
      namespace: "team-a",
      jobName: "witty-otter-1234abcd",
      flowRunId: "run-1",
      flowRunName: "witty otter",
      crashRetries: 2,
      streamOutput: true,
      podWatchTimeoutSeconds: 42.5,
    });
  });

  test("a Job launched before the annotations existed falls back to its labels and the pool's defaults", () => {
    expect(describeJob({ metadata: { name: "j", labels } }, "default", { crashRetries: 3 })).toMatchObject({ flowRunName: "witty-otter", crashRetries: 3, streamOutput: false, podWatchTimeoutSeconds: 300 });
    const bad = { "baton.io/crash-retries": "", "baton.io/pod-watch-timeout-seconds": "soon" };
    expect(describeJob({ metadata: { name: "j", labels, annotations: bad } }, "default", { crashRetries: 1 })).toMatchObject({ crashRetries: 1, podWatchTimeoutSeconds: 300 });
  });

  test("a Job without a run id or a name is not a run's", () => {
    expect(describeJob({ metadata: { name: "j", labels: {} } }, "default", { crashRetries: 0 })).toBeUndefined();
    expect(describeJob({ metadata: { labels } }, "default", { crashRetries: 0 })).toBeUndefined();
  });
});

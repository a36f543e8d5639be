import type { FlowRun, State } from "@baton/core";
import { expect, it } from "vitest";
import { Output } from "../output/io.js";
import { printFlowRunDetails } from "./inspect.js";

const MESSAGE = "Flow run could not start: GitHostKeyChanged: the SSH host key of git@example.com:team/etl.git is not the one in known_hosts";

function print(details: Parameters<typeof printFlowRunDetails>[1]): string {
  let text = "";
  const stream = { write: (t: string) => (text += t) };
  printFlowRunDetails(new Output({ stdout: stream, stderr: stream, env: { NO_COLOR: "1" }, cwd: "/" }), details);
  return text;
}

it("a failed run shows its error once, and where the run came from and ran", () => {
  const failed = {
    id: "s3", type: "FAILED", name: "Failed", timestamp: "2026-01-05T10:00:02Z", message: MESSAGE,
    data: { error: { name: "GitHostKeyChanged", message: "GitHostKeyChanged: the SSH host key of git@example.com:team/etl.git is not the one in known_hosts", stack: "GitHostKeyChanged: the SSH host key of git@example.com:team/etl.git is not the one in known_hosts" } },
  } as unknown as State;
  const run = {
    id: "01a24d43-78f8-73a3-b85d-1d4f39c11442", name: "eager-ibis", flow_name: "etl-flow", state_type: "FAILED", state_name: "Failed", state: failed,
    parameters: {}, created: "2026-01-05T10:00:00Z", start_time: null, end_time: "2026-01-05T10:00:02Z", run_count: 0, tags: [], parent_flow_run_id: null,
    deployment_id: "d1", deployment_name: "etl-prod", work_pool_name: "kubernetes", work_queue_name: "default", worker_name: "baton-worker",
  } as unknown as FlowRun;
  const states = [
    { id: "s1", type: "SCHEDULED", name: "Scheduled", timestamp: "2026-01-05T10:00:00Z", message: null },
    { id: "s2", type: "PENDING", name: "Pending", timestamp: "2026-01-05T10:00:01Z", message: 'claimed by worker "baton-worker"' },
    failed,
  ] as unknown as State[];
  const deployment = { name: "etl-prod", source: { repository: "git@example.com:team/etl.git", branch: "main", commit: "4f2d135d8f1a96535a8c74823d030cee0ab9cf5f" } } as never;
  const text = print({ flow_run: run, states, task_runs: [], deployment });
  expect(text.split("the SSH host key").length - 1, text).toBe(1);
  expect(text).not.toContain("GitHostKeyChanged: GitHostKeyChanged");
  expect(text).toMatch(/Deployment: +etl-flow\/etl-prod/);
  expect(text).toMatch(/Work pool: +kubernetes \(queue default\)/);
  expect(text).toMatch(/Worker: +baton-worker/);
  expect(text).toMatch(/Commit: +4f2d135d8f1a96535a8c74823d030cee0ab9cf5f, branch main, git@example.com:team\/etl.git/);
});

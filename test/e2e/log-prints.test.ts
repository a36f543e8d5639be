import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { describeNeeding } from "../helpers/components.js";
import { dockerUnavailableReason, startDockerEngine, type DockerEngine } from "../helpers/docker-engine.js";
import { createPool } from "./pool-templates.js";
import { WORKER_FIXTURE, runLogs, startTestServer, startWorkerProcess, waitForState, type TestServer, type WorkerProcess } from "./worker-setup.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const IMAGE = "local/busybox:latest";
const PRINTS = ["printed with console.log", "printed with console.error", "task printed 3"];

/** Runs a deployment of test/fixtures/worker/flows/prints.ts and answers its log lines once it is final. */
async function runAndRead(t: TestServer, pool: string, name: string, entrypoint: string, jobVariables: Record<string, unknown>): Promise<string[]> {
  const { deployment } = await t.client.call("upsertDeployment", {
    body: { flow_name: entrypoint.endsWith("printsOn") ? "prints-on" : "prints-by-setting", name, entrypoint, pull_steps: [], work_pool_name: pool, job_variables: jobVariables },
  });
  const run = await t.client.call("runDeployment", { params: { id: deployment.id }, body: {} });
  const done = await waitForState(t.client, run.id, ["COMPLETED", "FAILED", "CRASHED"], 120_000);
  const logs = await waitFor(async () => {
    const lines = await runLogs(t.client, run.id);
    return lines.some((l) => l.startsWith("Finished in state")) ? lines : undefined;
  }, "the run's last line");
  expect(done.state_type, `${done.state.message ?? ""}\n${logs.join("\n")}`).toBe("COMPLETED");
  return logs;
}

/**
 * logPrints (issue 16 part 5) through real workers: console.log and console.error inside a flow
 * and its task reach the run's logs on the server, from a process run and from a Docker run, by
 * the flow's option or by BATON_LOGGING_LOG_PRINTS; without either they do not.
 */
describe("console output in the run's logs, process worker", () => {
  let t: TestServer;
  let worker: WorkerProcess;
  beforeAll(async () => {
    t = await startTestServer("sqlite");
    await t.client.call("createWorkPool", { body: { name: "prints", type: "process" } });
    worker = startWorkerProcess(t, { pool: "prints", type: "process", pollWaitSeconds: 2 });
    await worker.waitForEvent("started");
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  test("the flow's logPrints option sends its prints and its task's to the run's logs", async () => {
    const logs = await runAndRead(t, "prints", "option", "flows/prints.ts:printsOn", { working_dir: WORKER_FIXTURE });
    for (const line of PRINTS) expect(logs, logs.join("\n")).toContain(line);
  }, 150_000);

  test("BATON_LOGGING_LOG_PRINTS=true in the job's env does it for a flow without the option; without it prints stay out of the logs", async () => {
    const on = await runAndRead(t, "prints", "setting", "flows/prints.ts:printsBySetting", { working_dir: WORKER_FIXTURE, env: { BATON_LOGGING_LOG_PRINTS: "true" } });
    for (const line of PRINTS) expect(on).toContain(line);
    const off = await runAndRead(t, "prints", "no-setting", "flows/prints.ts:printsBySetting", { working_dir: WORKER_FIXTURE });
    for (const line of PRINTS) expect(off).not.toContain(line);
    // Still printed: the worker copies the run's output into its own.
    expect(worker.output()).toContain("task printed 3");
  }, 300_000);
});

describeNeeding("A Docker engine", dockerUnavailableReason(), "console output in the run's logs, Docker worker", () => {
  let engine: DockerEngine;
  let t: TestServer;
  let worker: WorkerProcess;
  beforeAll(async () => {
    engine = await startDockerEngine();
    engine.importBusybox(IMAGE);
    t = await startTestServer("sqlite");
    await createPool(t, "docker-prints", "docker", { unlock: ["network_mode", "volumes"] });
    worker = startWorkerProcess(t, { pool: "docker-prints", type: "docker", pollWaitSeconds: 2, hostAccess: { hostMounts: true, hostNamespaces: true } }, { DOCKER_HOST: engine.host });
    await worker.waitForEvent("started");
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await engine?.stop();
  });

  test("a container's run sends its prints to the run's logs, by the flow's option and by the setting in the job's env", async () => {
    const nodeDir = dirname(process.execPath);
    const jobVariables = {
      image: IMAGE,
      network_mode: "host",
      // The host's Node and this checkout mounted read-only; the run starts in the fixture's folder.
      command: `/bin/sh -c "cd ${WORKER_FIXTURE} && exec ${process.execPath} ${REPO_ROOT}/packages/cli/bin/baton.js flow-run execute"`,
      volumes: ["/usr:/usr:ro", "/lib:/lib:ro", "/lib64:/lib64:ro", `${REPO_ROOT}:${REPO_ROOT}:ro`, ...(nodeDir.startsWith("/usr/") || nodeDir.startsWith(`${REPO_ROOT}/`) ? [] : [`${nodeDir}:${nodeDir}:ro`])],
    };
    const byOption = await runAndRead(t, "docker-prints", "docker-option", "flows/prints.ts:printsOn", jobVariables);
    for (const line of PRINTS) expect(byOption, byOption.join("\n")).toContain(line);
    const bySetting = await runAndRead(t, "docker-prints", "docker-setting", "flows/prints.ts:printsBySetting", { ...jobVariables, env: { BATON_LOGGING_LOG_PRINTS: "true" } });
    for (const line of PRINTS) expect(bySetting, bySetting.join("\n")).toContain(line);
  }, 300_000);
});

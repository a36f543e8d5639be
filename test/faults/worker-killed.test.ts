import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { waitFor } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { startTestServer, startWorkerProcess, type TestServer } from "../e2e/worker-setup.js";
import { deployChatty, measure, runChatty, waitForAll } from "./harness.js";

const PENDING = 4;
const LINES = 10;
/** Far longer than the test waits: only the run processes themselves can put their runs back in time. */
const LEASE_SECONDS = 300;

/** Whether `pid` is a live process (a zombie left for init to reap does not count). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("a process worker SIGKILLed while its runs are still pulling, and one is running", () => {
  let t: TestServer;
  const scratch = tempDir("baton-faults-worker-");
  beforeAll(async () => {
    t = await startTestServer("sqlite");
  });
  afterAll(async () => {
    await t?.close();
    scratch.remove();
  });

  test("the unstarted runs go back to Scheduled at once (not Crashed) and run once elsewhere; no run process is left writing to the dead pipe", async () => {
    const marks = join(scratch.path, "pulling");
    const slowFlag = join(scratch.path, "slow");
    mkdirSync(marks);
    writeFileSync(slowFlag, "");
    // A slow pull while the flag is there: it says which process pulls, then takes its time.
    const pull = { run_shell_script: { script: `if [ -f '${slowFlag}' ]; then echo $PPID > '${marks}'/$BATON_FLOW_RUN_ID; sleep 120; fi`, stream_output: false } };
    const ledger = join(scratch.path, "ledger");
    const options = { type: "process", pool: "killed", pollWaitSeconds: 2, leaseSeconds: LEASE_SECONDS, limit: PENDING + 2 };
    const doomed = startWorkerProcess(t, { ...options, name: "doomed" }, { BATON_FLOW_RUN_HEARTBEAT_SECONDS: "2" });
    let second: ReturnType<typeof startWorkerProcess> | undefined;
    try {
      await doomed.waitForEvent("started", undefined, 60_000);
      // One run Running first (a deployment without the slow pull), logging (to its dead worker's pipe, later) all along.
      const quickDeployment = await deployChatty(t.client, "killed", [], "no-pull");
      const running = await runChatty(t.client, quickDeployment, { lines: 100_000, delayMs: 20, ledger });
      await waitForAll(t.client, [running], ["RUNNING"], 60_000);
      const deployment = await deployChatty(t.client, "killed", [pull], "slow-pull");
      const ids: string[] = [];
      for (let i = 0; i < PENDING; i++) ids.push(await runChatty(t.client, deployment, { lines: LINES, delayMs: 0, ledger }));
      await waitFor(() => readdirSync(marks).length === PENDING || undefined, "every run to be pulling", 60_000);
      const pullers = readdirSync(marks).map((id) => Number(readFileSync(join(marks, id), "utf8").trim()));
      const runner = Number(readFileSync(ledger, "utf8").split("\n").find((l) => l.startsWith(`${running} start`))!.split(" ")[2]);
      for (const run of await Promise.all(ids.map((id) => t.client.readFlowRun(id)))) expect(run.state_type).toBe("PENDING");

      doomed.child.kill("SIGKILL");
      // Back in the queue, by their own processes, long before the lease could do it.
      const requeued = await waitForAll(t.client, ids, ["SCHEDULED"], 30_000);
      for (const run of requeued) expect(run.state.message).toContain("stopped while this run was starting");
      // The running one ran: it is Crashed, not lost, and its process ended too.
      const crashed = await waitForAll(t.client, [running], ["CRASHED"], 30_000);
      await waitFor(() => [...pullers, runner].every((pid) => !alive(pid)) || undefined, "every run process of the dead worker to exit", 30_000);

      rmSync(slowFlag);
      second = startWorkerProcess(t, { ...options, name: "second" });
      const done = await waitForAll(t.client, ids, ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"], 90_000);
      const figures = await measure(t.client, ids, LINES, ledger, "worker SIGKILLed while runs were pulling");
      const histories = await Promise.all(ids.map(async (id) => (await t.client.flowRunStates(id)).items.map((s) => s.type)));
      process.stdout.write(`[faults] worker SIGKILLed: ${JSON.stringify({ pulling: PENDING, requeuedByRunProcess: requeued.length, crashedWhileRunning: crashed.length, processesLeft: [...pullers, runner].filter(alive).length })}\n`);
      expect(done.map((r) => r.state_type)).toEqual(ids.map(() => "COMPLETED"));
      expect(figures).toMatchObject({ lostRuns: 0, executedTwice: 0, lostLines: 0, lostFinalStates: 0 });
      // Straight from its first claim back to Scheduled (it may turn Late while it waits), never
      // Crashed, and Running once: the flow never ran under the dead worker.
      for (const history of histories) {
        expect(history.slice(0, 3)).toEqual(["SCHEDULED", "PENDING", "SCHEDULED"]);
        expect(history.filter((type) => type === "RUNNING")).toHaveLength(1);
        expect(history).not.toContain("CRASHED");
        expect(history.at(-1)).toBe("COMPLETED");
      }
      expect(existsSync(slowFlag)).toBe(false);
    } finally {
      if (doomed.child.exitCode === null && doomed.child.signalCode === null) doomed.child.kill("SIGKILL");
      await second?.stop();
    }
  }, 300_000);
});

import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlowRun } from "@baton/core";
import { startBaton, waitFor } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { deployProject, killProcess, startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;

/**
 * Schedules every 3 s, an interval and a cron with seconds (six fields, seconds first): the
 * runs they make come due while the worker already waits on the server.
 */
const BATON_YAML = `deployments:
  - name: every-3s
    entrypoint: flows/etl.ts:etlFlow
    parameters: { limit: 1 }
    schedules:
      - interval: 3
    work_pool: { name: scheduled }
  - name: cron-3s
    entrypoint: flows/etl.ts:etlFlow
    parameters: { limit: 2 }
    schedules:
      - cron: "*/3 * * * * *"
        timezone: Europe/Paris
    work_pool: { name: scheduled }
`;

/** The long-poll wait of `baton worker start` (packages/worker start-worker.ts, pollWaitSeconds). */
const WORKER_POLL_WAIT_MS = 20_000;

const DEPLOYMENTS = { "every-3s": { limit: 1 }, "cron-3s": { limit: 2 } } as const;

describe.each(DATABASE_KINDS)("a schedule fires through a real worker, on %s", (kind) => {
  let server: CliServer;
  let dir: { work: string; remove(): void } | undefined;
  let worker: (ChildProcess & { output(): string }) | undefined;

  beforeAll(async () => {
    server = await startCliServer(kind);
    dir = await deployProject(server, BATON_YAML, "scheduled");
  }, SLOW);
  afterAll(async () => {
    await killProcess(worker);
    await server?.stop();
    dir?.remove();
  }, SLOW);

  it("the scheduler fills the schedule ahead and the worker runs each run when its time comes", async () => {
    // The scheduler's first pass after the deploy: runs exist ahead, in the future, none due yet for long.
    const ahead = await waitFor(async () => {
      const runs = await server.json<FlowRun[]>(["flow-run", "ls", "--state", "SCHEDULED", "--limit", "200"]);
      return runs.length >= 3 ? runs : undefined;
    }, "the scheduler to create runs ahead", 60_000);
    expect(new Set(ahead.map((r) => r.deployment_name))).toEqual(new Set(Object.keys(DEPLOYMENTS)));
    expect(ahead.every((r) => r.work_pool_name === "scheduled" && Date.parse(r.expected_start_time!) > Date.now() - 60_000)).toBe(true);

    worker = startBaton(["worker", "start", "--pool", "scheduled", "--limit", "2", "--name", "schedule-worker"], { env: server.env });
    await waitFor(() => worker!.output().includes("Worker 'schedule-worker' started on pool 'scheduled'") || worker!.exitCode !== null, "the worker to start", 120_000);
    expect(worker.exitCode, worker.output()).toBeNull();

    const completed = await waitFor(
      async () => {
        const runs = await server.json<FlowRun[]>(["flow-run", "ls", "--state", "COMPLETED", "--limit", "200"]);
        const of = (name: string) => runs.filter((r) => r.deployment_name === name);
        return of("every-3s").length >= 2 && of("cron-3s").length >= 2 ? runs : undefined;
      },
      "two runs of each schedule to complete",
      240_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nworker output:\n${worker!.output()}\nserver output:\n${server.output()}`);
    });
    for (const run of completed) {
      const name = run.deployment_name as keyof typeof DEPLOYMENTS;
      expect(run).toMatchObject({ work_pool_name: "scheduled", parameters: DEPLOYMENTS[name] });
      // Cron times fall on a multiple of 3 s.
      if (name === "cron-3s") expect(new Date(run.expected_start_time!).getUTCSeconds() % 3).toBe(0);
      // A scheduled run starts at or after its time, never before.
      expect(Date.parse(run.start_time!)).toBeGreaterThanOrEqual(Date.parse(run.expected_start_time!) - 1000);
    }
    // Distinct times of the schedule: two runs, not one run twice.
    // The waiting worker claims a run when its time comes (the long poll wakes at a due time), not
    // at its next poll. The measure is the worker's own poll: a run that came due while a poll was
    // in flight and waited for the next one is claimed up to a whole wait after its time, so at
    // least one claim well inside one wait shows the poll in flight took it (a load-bound claim of
    // a few seconds still passes; a missed wake-up does not).
    const claimDelays = await Promise.all(
      completed.map(async (run) => {
        const states = (await server.json<{ states: Array<{ type: string; timestamp: string }> }>(["flow-run", "inspect", run.id])).states;
        return Date.parse(states.find((st) => st.type === "PENDING")!.timestamp) - Date.parse(run.expected_start_time!);
      }),
    );
    expect(Math.min(...claimDelays), claimDelays.join(", ")).toBeLessThan(WORKER_POLL_WAIT_MS / 2);
    for (const name of Object.keys(DEPLOYMENTS)) {
      const times = completed.filter((r) => r.deployment_name === name).map((r) => r.expected_start_time);
      expect(new Set(times).size).toBe(times.length);
    }
    // A plain `flow-run ls` shows what ran, not the schedule's runs ahead (which would fill the
    // page, newest-created first); --upcoming lists those.
    // The server reads its clock somewhere inside the CLI call, which can take seconds on a loaded
    // machine while an every-3s schedule comes due: bound each side by the clock on that side.
    const now = Date.now();
    const plain = await server.json<FlowRun[]>(["flow-run", "ls", "--limit", "500"]);
    const answered = Date.now();
    expect(plain.filter((r) => r.state_type === "COMPLETED").length).toBeGreaterThanOrEqual(4);
    expect(plain.filter((r) => r.state_type === "SCHEDULED" && Date.parse(r.expected_start_time!) > answered + 1000)).toEqual([]);
    const upcoming = await server.json<FlowRun[]>(["flow-run", "ls", "--upcoming", "--limit", "500"]);
    expect(upcoming.length).toBeGreaterThan(0);
    for (const run of upcoming) {
      expect(run.state_type).toBe("SCHEDULED");
      expect(Date.parse(run.expected_start_time!)).toBeGreaterThan(now - 2000);
    }
  }, SLOW);
});

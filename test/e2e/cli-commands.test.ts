import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlowRun, Log, TaskRun } from "@baton/core";
import { BATON_BIN } from "../helpers/cli.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startTerminal, tmuxUnavailableReason } from "../helpers/terminal.js";
import { deployProject, startCliServer, type CliServer } from "./deploy-server.js";

/** Every step is a real `baton` process; on a busy two-core machine each takes seconds. */
const SLOW = 300_000;
const ETL = fileURLToPath(new URL("../fixtures/etl", import.meta.url));
const CLI_FLOWS = fileURLToPath(new URL("../fixtures/cli", import.meta.url));
const CREATED = /Flow run \S+ \(([0-9a-f-]{36})\) created/;
const MISSING = "0190c0de-0000-7000-8000-000000000000";
const noTmux = tmuxUnavailableReason();

const BATON_YAML = `deployments:
  - name: etl
    entrypoint: flows/etl.ts:etlFlow
    work_pool: { name: queued }
`;

describe.each(DATABASE_KINDS)("the flow, flow-run, task-run and variable commands against a server on %s", (kind) => {
  let server: CliServer;
  let project: { remove(): void } | undefined;
  /** A run of etl-flow made by `baton run` against the server: completed, three task runs, four log lines. */
  let completed: string;
  let failed: string;

  const runLocally = async (cwd: string, entrypoint: string): Promise<string> => {
    const r = await server.baton(["run", entrypoint], { cwd });
    const id = CREATED.exec(r.stdout)?.[1];
    expect(id, r.stdout + r.stderr).toBeTruthy();
    return id!;
  };

  beforeAll(async () => {
    server = await startCliServer(kind);
    completed = await runLocally(ETL, "flows/etl.ts:etlFlow");
    failed = await runLocally(CLI_FLOWS, "flows/failing.ts:failingFlow");
  }, SLOW);
  afterAll(async () => {
    await server?.stop();
    project?.remove();
  }, SLOW);

  it("flow ls lists flows by name; flow inspect shows one with its runs, and names the fix for a missing one", async () => {
    const table = await server.baton(["flow", "ls"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+ID\s+TAGS\s+CREATED$/m);
    expect(table.stdout).toMatch(/^etl-flow\s/m);
    const flows = await server.json<Array<{ name: string }>>(["flow", "ls"]);
    expect(flows.map((f) => f.name).sort()).toEqual(["etl-flow", "failing-flow"]);
    expect(await server.json<unknown[]>(["flow", "ls", "--limit", "1"])).toHaveLength(1);
    expect((await server.baton(["flow", "ls", "--limit", "0"])).code).toBe(2);

    const inspect = await server.baton(["flow", "inspect", "etl-flow"]);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.stdout).toContain("Flow etl-flow");
    expect(inspect.stdout).toContain(completed);
    const details = await server.json<{ flow: { name: string }; recent_runs: FlowRun[] }>(["flow", "inspect", "etl-flow"]);
    expect(details.flow.name).toBe("etl-flow");
    expect(details.recent_runs.map((r) => r.id)).toEqual([completed]);

    // "etl" is part of a name, not a name: the server's substring filter must not answer for it.
    const partial = await server.baton(["flow", "inspect", "etl"]);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/FlowNotFound: no flow named 'etl' \(did you mean 'etl-flow'\?\); list flows with baton flow ls/);
  }, SLOW);

  it("flow-run watch prints states until the end and exits by outcome", async () => {
    const done = await server.baton(["flow-run", "watch", completed]);
    expect(done.code, done.stderr).toBe(0);
    // The whole history, each state once, oldest first: a state shorter than a poll still shows.
    expect(done.stdout).toMatch(/Running[\s\S]*Completed/);
    const json = await server.baton(["flow-run", "watch", completed, "--json"]);
    const states = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; name: string });
    expect(states.map((s) => s.type).slice(-2)).toEqual(["RUNNING", "COMPLETED"]);
    expect(states.at(-1)).toMatchObject({ type: "COMPLETED", name: "Completed" });

    const bad = await server.baton(["flow-run", "watch", failed]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/Failed/);
    expect(bad.stderr).toContain(`baton flow-run inspect ${failed}`);

    expect((await server.baton(["flow-run", "watch", MISSING])).code).toBe(1);
    const notId = await server.baton(["flow-run", "watch", "nope"]);
    expect(notId.code).toBe(2);
    expect(notId.stderr).toMatch(/"nope" is not a flow run ID/);
    const badTimeout = await server.baton(["flow-run", "watch", completed, "--timeout", "soon"]);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toMatch(/--timeout must be a number of seconds/);
  }, SLOW);

  it("a run nobody picks up: watch --timeout exits 124; retry refuses it until it is final, then schedules it again", async () => {
    project = await deployProject(server, BATON_YAML, "queued");
    const created = await server.baton(["deployment", "run", "etl-flow/etl"]);
    expect(created.code, created.stderr).toBe(0);
    const id = created.stdout.trim();

    const timedOut = await server.baton(["flow-run", "watch", id, "--timeout", "1"]);
    expect(timedOut.code).toBe(124);
    expect(timedOut.stdout).toMatch(/Scheduled/);
    expect(timedOut.stderr).toMatch(/Timed out after 1s; flow run .* is still Scheduled/);

    const early = await server.baton(["flow-run", "retry", id]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`FlowRunNotRetryable: flow run ${id} is Scheduled, not finished; wait for it with baton flow-run watch ${id}`);

    expect((await server.baton(["flow-run", "cancel", id])).code).toBe(0);
    const retried = await server.baton(["flow-run", "retry", id]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain("AwaitingRetry");
    // Watching the retried run shows its history through the cancel to the retry, then waits again.
    const again = await server.baton(["flow-run", "watch", id, "--timeout", "1", "--json"]);
    expect(again.code).toBe(124);
    expect(again.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { name: string }).name)).toEqual(["Scheduled", "Cancelled", "AwaitingRetry"]);
    expect(retried.stderr).toContain(`baton flow-run watch ${id}`);
    const after = (await server.json<{ flow_run: FlowRun }>(["flow-run", "inspect", id])).flow_run;
    expect(after.state_type).toBe("SCHEDULED");

    const local = await server.baton(["flow-run", "retry", failed]);
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(/was not started from a deployment.*baton run FILE:FLOW/);
    expect((await server.baton(["flow-run", "retry", MISSING])).code).toBe(1);
  }, SLOW);

  it("flow-run logs --head, --tail and --limit print the first and last lines; bad combinations are usage errors", async () => {
    const all = (await server.baton(["flow-run", "logs", completed, "--json"])).stdout.trim().split("\n").map((l) => JSON.parse(l) as Log);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const head = await server.baton(["flow-run", "logs", completed, "--head", "2", "--json"]);
    expect(head.code, head.stderr).toBe(0);
    expect(head.stdout.trim().split("\n").map((l) => (JSON.parse(l) as Log).id)).toEqual(all.slice(0, 2).map((l) => l.id));
    const tail = await server.baton(["flow-run", "logs", completed, "--tail", "2", "--json"]);
    expect(tail.stdout.trim().split("\n").map((l) => (JSON.parse(l) as Log).id)).toEqual(all.slice(-2).map((l) => l.id));
    const text = await server.baton(["flow-run", "logs", completed, "--tail", "1"]);
    expect(text.stdout.trim().split("\n")).toHaveLength(1);
    expect(text.stdout).toContain(all.at(-1)!.message);
    expect(text.stderr).toContain(`Showing the last 1 of ${all.length} lines; show more with --tail N`);

    // --limit is every list's "the first N"; a cut list says so on stderr, a whole one does not.
    const ids = async (args: string[]) => (await server.baton(["flow-run", "logs", completed, ...args, "--json"])).stdout.trim().split("\n").map((l) => (JSON.parse(l) as Log).id);
    const limited = await server.baton(["flow-run", "logs", completed, "--limit", "2", "--json"]);
    expect(limited.code, limited.stderr).toBe(0);
    expect(limited.stdout.trim().split("\n").map((l) => (JSON.parse(l) as Log).id)).toEqual(all.slice(0, 2).map((l) => l.id));
    expect(limited.stderr).toContain("Showing the first 2 lines; show more with --limit N");
    const whole = await server.baton(["flow-run", "logs", completed, "--limit", String(all.length), "--json"]);
    expect(whole.stdout.trim().split("\n")).toHaveLength(all.length);
    expect(whole.stderr).not.toContain("Showing");
    // --head and --tail name the window: they win over --limit.
    expect(await ids(["--limit", "1", "--head", "2"])).toEqual(all.slice(0, 2).map((l) => l.id));
    expect(await ids(["--limit", "1", "--tail", "2"])).toEqual(all.slice(-2).map((l) => l.id));

    for (const [args, message] of [
      [["--head", "1", "--tail", "1"], /--head and --tail cannot be used together/],
      [["--tail", "1", "--follow"], /--tail cannot be used with --follow/],
      [["--head", "0"], /--head must be at least 1/],
      [["--tail", "x"], /--tail must be a number of lines/],
      [["--limit", "0"], /--limit must be at least 1/],
      [["--limit", "ten"], /--limit must be a number of lines/],
    ] as const) {
      const r = await server.baton(["flow-run", "logs", completed, ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  }, SLOW);

  it("task-run ls, inspect and logs reach a flow run's task runs", async () => {
    const table = await server.baton(["task-run", "ls", "--flow-run", completed]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+STATE\s+START\s+DURATION\s+RUNS$/m);
    const taskRuns = await server.json<TaskRun[]>(["task-run", "ls", "--flow-run", completed]);
    expect(taskRuns.map((t) => t.task_key).sort()).toEqual(["extract", "load", "transform"]);
    const failedTasks = await server.json<TaskRun[]>(["task-run", "ls", "--flow-run", failed, "--state", "failed"]);
    expect(failedTasks.map((t) => t.task_key)).toEqual(["explode"]);
    expect(await server.json<TaskRun[]>(["task-run", "ls", "--flow-run", failed, "--state", "completed"])).toEqual([]);

    const noFlowRun = await server.baton(["task-run", "ls"]);
    expect(noFlowRun.code).toBe(2);
    expect(noFlowRun.stderr).toMatch(/--flow-run is required/);
    expect((await server.baton(["task-run", "ls", "--flow-run", MISSING])).code).toBe(1);

    const load = taskRuns.find((t) => t.task_key === "load")!;
    const inspect = await server.baton(["task-run", "inspect", load.id]);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.stdout).toContain(`Task run ${load.name}`);
    expect(inspect.stdout).toContain(completed);
    const details = await server.json<{ task_run: TaskRun; states: Array<{ type: string }> }>(["task-run", "inspect", load.id]);
    expect(details.states.at(-1)!.type).toBe("COMPLETED");
    const explode = await server.baton(["task-run", "inspect", failedTasks[0]!.id]);
    expect(explode.stdout).toContain("the extract step exploded");

    const logs = await server.baton(["task-run", "logs", load.id]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain(`Task run '${load.name}' - Loaded item: ALPHA`);
    const jsonLogs = (await server.baton(["task-run", "logs", load.id, "--json"])).stdout.trim().split("\n").map((l) => JSON.parse(l) as Log);
    expect(jsonLogs.every((l) => l.task_run_id === load.id)).toBe(true);
    expect(jsonLogs.filter((l) => l.message.startsWith("Loaded item: "))).toHaveLength(3);

    const notId = await server.baton(["task-run", "logs", "abc"]);
    expect(notId.code).toBe(2);
    expect(notId.stderr).toMatch(/"abc" is not a task run ID.*baton task-run ls --flow-run/);
    expect((await server.baton(["task-run", "inspect", MISSING])).code).toBe(1);
  }, SLOW);

  it("flow-run delete asks first: without a terminal it needs --yes, and then the run is gone", async () => {
    const refused = await server.baton(["flow-run", "delete", failed]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not confirmed; stdin is not a terminal, so pass --yes/);
    expect((await server.baton(["flow-run", "inspect", failed])).code).toBe(0);

    const deleted = await server.baton(["flow-run", "delete", failed, "--yes"]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`Deleted flow run`);
    expect((await server.baton(["flow-run", "inspect", failed])).code).toBe(1);
    expect((await server.baton(["flow-run", "delete", failed, "--yes"])).code).toBe(1);
  }, SLOW);

  it.skipIf(noTmux)("flow-run delete on a terminal asks: anything but y keeps the run, y deletes it", async () => {
    const id = await runLocally(ETL, "flows/etl.ts:etlFlow");
    const answer = async (typed: string): Promise<{ code: number; screen: string }> => {
      const terminal = startTerminal([process.execPath, BATON_BIN, "flow-run", "delete", id], { ...server.env, NO_COLOR: "1" });
      try {
        await terminal.waitForScreen(/with its task runs and logs\? \[y\/N\]/, "the delete question");
        terminal.keys(typed, "Enter");
        const code = await terminal.exited();
        return { code, screen: terminal.screen() };
      } finally {
        terminal.stop();
      }
    };
    const kept = await answer("n");
    expect(kept.code, kept.screen).toBe(2);
    expect(kept.screen).toContain("Cancelled; nothing was changed");
    expect((await server.baton(["flow-run", "inspect", id])).code).toBe(0);
    const deleted = await answer("y");
    expect(deleted.code, deleted.screen).toBe(0);
    expect(deleted.screen).toContain(`Deleted flow run`);
    expect((await server.baton(["flow-run", "inspect", id])).code).toBe(1);
  }, SLOW);

  it("variable set refuses to replace a value without --overwrite", async () => {
    expect((await server.baton(["variable", "set", "branch", "main"])).code).toBe(0);
    const again = await server.baton(["variable", "set", "branch", "dev"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`VariableExists: variable 'branch' is already set to "main"; replace it with baton variable set branch VALUE --overwrite`);
    expect((await server.baton(["variable", "get", "branch"])).stdout.trim()).toBe('"main"');
    const replaced = await server.baton(["variable", "set", "branch", "dev", "--overwrite"]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect((await server.baton(["variable", "get", "branch"])).stdout.trim()).toBe('"dev"');
  }, SLOW);

  it("every new command's help has an example", async () => {
    for (const command of [["flow", "ls"], ["flow", "inspect"], ["flow-run", "watch"], ["flow-run", "retry"], ["flow-run", "delete"], ["flow-run", "logs"], ["task-run", "ls"], ["task-run", "inspect"], ["task-run", "logs"], ["variable", "set"]]) {
      const help = await server.baton([...command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout, command.join(" ")).toMatch(/Examples:\n  baton /);
    }
  }, SLOW);
});

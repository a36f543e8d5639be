import { MAX_PAGE_SIZE, type FlowRun, type State, type TaskRun } from "@baton/core";
import type { BatonClient } from "baton";
import { colorState, formatTime, runDuration } from "../output/format.js";
import type { Output } from "../output/io.js";
import { renderFields, renderTable } from "../output/table.js";
import { allPages } from "baton";

/** A flow of ten thousand tasks is a page of JSON, not a screen of text. */
const MAX_TASK_RUNS_SHOWN = 200;

export interface FlowRunDetails {
  flow_run: FlowRun;
  states: State[];
  task_runs: TaskRun[];
}


export async function readFlowRunDetails(client: BatonClient, id: string): Promise<FlowRunDetails> {
  const flowRun = await client.readFlowRun(id);
  const [states, taskRuns] = await Promise.all([
    allPages((cursor) => client.flowRunStates(id, { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) })),
    allPages((cursor) => client.listTaskRuns({ flow_run_id: id, limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) })),
  ]);
  return { flow_run: flowRun, states, task_runs: taskRuns };
}

export function printFlowRunDetails(out: Output, { flow_run: run, states, task_runs: taskRuns }: FlowRunDetails): void {
  const { colors } = out;
  out.line(colors.bold(`Flow run ${run.name}`));
  const fields: Array<[string, string]> = [
    ["ID", run.id],
    ["Flow", run.flow_name],
    ["State", colorState(run.state_type, run.state_name, colors) + (run.state.message ? ` (${run.state.message})` : "")],
    ["Parameters", JSON.stringify(run.parameters)],
    ["Created", formatTime(run.created)],
    ["Start", formatTime(run.start_time)],
    ["End", formatTime(run.end_time)],
    ["Duration", runDuration(run.start_time, run.end_time)],
    ["Run count", String(run.run_count)],
  ];
  if (run.tags.length) fields.push(["Tags", run.tags.join(", ")]);
  if (run.parent_flow_run_id) fields.push(["Parent flow run", run.parent_flow_run_id]);
  out.line(renderFields(fields));

  out.line();
  out.line(colors.bold("State history"));
  out.line(
    renderTable(
      ["TIME", "STATE", "MESSAGE"],
      states.map((s) => [formatTime(s.timestamp), colorState(s.type, s.name, colors), s.message ?? ""]),
    ),
  );

  out.line();
  out.line(colors.bold(`Task runs (${taskRuns.length})`));
  const shownTaskRuns = taskRuns.slice(0, MAX_TASK_RUNS_SHOWN);
  if (shownTaskRuns.length > 0) {
    out.line(
      renderTable(
        ["NAME", "STATE", "START", "DURATION", "RUNS", "ID"],
        shownTaskRuns.map((t) => [
          t.subflow_run_id ? `${t.name} (subflow run ${t.subflow_run_id})` : t.name,
          colorState(t.state_type, t.state_name, colors),
          formatTime(t.start_time),
          runDuration(t.start_time, t.end_time),
          String(t.run_count),
          t.id,
        ]),
      ),
    );
  }
  if (taskRuns.length > shownTaskRuns.length) {
    out.line(colors.dim(`... and ${taskRuns.length - shownTaskRuns.length} more; --json lists them all`));
  }

  const data = run.state.data;
  out.line();
  if (data?.error) {
    out.line(colors.bold(colors.red("Error")));
    out.line(data.error.stack ?? `${data.error.name}: ${data.error.message}`);
  } else if (run.state_type === "COMPLETED") {
    out.line(colors.bold("Result"));
    out.line(JSON.stringify(data?.result ?? null, null, 2));
  }
}

import { IdSchema, MAX_PAGE_SIZE, type State, type TaskRun } from "@baton/core";
import { allPages, type BatonClient } from "baton";
import { UsageError } from "../errors.js";
import { colorState, formatTime, runDuration } from "../output/format.js";
import type { Output } from "../output/io.js";
import { renderFields, renderTable } from "../output/table.js";

export function parseTaskRunId(id: string): string {
  if (!IdSchema.safeParse(id).success) throw new UsageError(`"${id}" is not a task run ID (a UUID); list a flow run's task runs with baton task-run ls --flow-run FLOW_RUN_ID`);
  return id;
}

export interface TaskRunDetails {
  task_run: TaskRun;
  states: State[];
}

export async function readTaskRunDetails(client: BatonClient, id: string): Promise<TaskRunDetails> {
  const taskRun = await client.readTaskRun(id);
  const states = await allPages((cursor) => client.call("taskRunStates", { params: { id }, query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
  return { task_run: taskRun, states };
}

export function printTaskRuns(out: Output, taskRuns: TaskRun[]): void {
  if (taskRuns.length === 0) return out.note("No task runs match");
  out.line(
    renderTable(
      ["ID", "NAME", "STATE", "START", "DURATION", "RUNS"],
      taskRuns.map((t) => [t.id, t.name, colorState(t.state_type, t.state_name, out.colors), formatTime(t.start_time), runDuration(t.start_time, t.end_time), String(t.run_count)]),
    ),
  );
}

export function printTaskRunDetails(out: Output, { task_run: t, states }: TaskRunDetails): void {
  const { colors } = out;
  out.line(colors.bold(`Task run ${t.name}`));
  const fields: Array<[string, string]> = [
    ["ID", t.id],
    ["Task", t.task_key],
    ["Flow run", t.flow_run_id],
    ["State", colorState(t.state_type, t.state_name, colors) + (t.state.message && !t.state.data?.error ? ` (${t.state.message})` : "")],
    ["Start", formatTime(t.start_time)],
    ["End", formatTime(t.end_time)],
    ["Duration", runDuration(t.start_time, t.end_time)],
    ["Run count", `${t.run_count} (retries allowed: ${t.max_retries})`],
  ];
  if (t.tags.length) fields.push(["Tags", t.tags.join(", ")]);
  if (t.cache_key) fields.push(["Cache key", t.cache_key]);
  if (t.subflow_run_id) fields.push(["Subflow run", t.subflow_run_id]);
  out.line(renderFields(fields));
  out.line();
  out.line(colors.bold("State history"));
  out.line(renderTable(["TIME", "STATE", "MESSAGE"], states.map((s) => [formatTime(s.timestamp), colorState(s.type, s.name, colors), s.message ?? ""])));
  const error = t.state.data?.error;
  if (error) {
    out.line();
    out.line(colors.bold(colors.red("Error")));
    out.line(error.stack ?? (error.message.startsWith(`${error.name}: `) ? error.message : `${error.name}: ${error.message}`));
  }
}

import { MAX_PAGE_SIZE, type Deployment, type FlowRun, type PulledSource, type State, type TaskRun } from "@baton/core";
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
  /** The run's deployment as it is now (null for a run straight from code, or a deleted one). */
  deployment: Deployment | null;
}


export async function readFlowRunDetails(client: BatonClient, id: string): Promise<FlowRunDetails> {
  const flowRun = await client.readFlowRun(id);
  const [states, taskRuns, deployment] = await Promise.all([
    allPages((cursor) => client.flowRunStates(id, { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) })),
    allPages((cursor) => client.listTaskRuns({ flow_run_id: id, limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) })),
    flowRun.deployment_id
      ? client.call("readDeployment", { params: { id: flowRun.deployment_id } }).catch(() => null)
      : Promise.resolve(null),
  ]);
  return { flow_run: flowRun, states, task_runs: taskRuns, deployment };
}

/** The commit the run's newest attempt pulled, from its Running states. */
export function pulledSource(states: readonly State[]): PulledSource | undefined {
  return states.findLast((s) => s.type === "RUNNING" && s.data?.source)?.data?.source;
}

const describeSource = (s: { repository?: string; branch?: string; commit?: string }) => [s.commit, s.branch && `branch ${s.branch}`, s.repository].filter(Boolean).join(", ");

/** Where a deployment's run came from and who ran it: what someone asks first about a failure. */
function dispatchFields(run: FlowRun, deployment: Deployment | null, states: readonly State[]): Array<[string, string]> {
  if (!run.deployment_id) return [];
  const source = deployment?.source;
  const pulled = pulledSource(states);
  const fields: Array<[string, string]> = [
    ["Deployment", `${run.flow_name}/${run.deployment_name ?? deployment?.name ?? run.deployment_id}`],
    ["Work pool", run.work_pool_name ? `${run.work_pool_name}${run.work_queue_name ? ` (queue ${run.work_queue_name})` : ""}` : "-"],
    ["Worker", run.worker_name ?? "- (not claimed yet)"],
  ];
  // What the run cloned is what ran; the deployment's commit is only what was current at deploy time.
  if (pulled) fields.push(["Commit", `${describeSource(pulled)} (pulled by this run)`]);
  else if (source?.commit || source?.repository) fields.push(["Commit", `${describeSource(source)} (as deployed; this run pulled no commit yet)`]);
  return fields;
}

export function printFlowRunDetails(out: Output, { flow_run: run, states, task_runs: taskRuns, deployment }: FlowRunDetails): void {
  const { colors } = out;
  out.line(colors.bold(`Flow run ${run.name}`));
  const fields: Array<[string, string]> = [
    ["ID", run.id],
    ["Flow", run.flow_name],
    ...dispatchFields(run, deployment, states),
    // A failure's message is the first line of its error, printed once at the end.
    ["State", colorState(run.state_type, run.state_name, colors) + (run.state.message && !run.state.data?.error ? ` (${run.state.message})` : "")],
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
      states.map((s) => [formatTime(s.timestamp), colorState(s.type, s.name, colors), s.id === run.state.id && run.state.data?.error ? "(the error below)" : (s.message ?? "")]),
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
    const { name, message, stack } = data.error;
    out.line(stack ?? (message.startsWith(`${name}: `) ? message : `${name}: ${message}`));
  } else if (run.state_type === "COMPLETED") {
    out.line(colors.bold("Result"));
    out.line(JSON.stringify(data?.result ?? null, null, 2));
  }
}

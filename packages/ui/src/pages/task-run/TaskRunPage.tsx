import { useRef } from "react";
import { call } from "../../api/client";
import type { State } from "../../api/types";
import { Link } from "../../router/router";
import { Id, Time } from "../../components/Copy";
import { ErrorAlert, Loading } from "../../components/ErrorAlert";
import { JsonBlock } from "../../components/Json";
import { StateBadge } from "../../components/StateBadge";
import type { LogLine } from "../../lib/logs";
import { formatDuration, localizeTimes } from "../../lib/time";
import { useApi } from "../../lib/use-api";
import { PageError } from "../PageError";
import { LogsPanel } from "../run/LogsPanel";
import { StateTimeline } from "../run/StateTimeline";
import { useDisplayZone } from "../../lib/display-zone";

/**
 * One task run: its states and attempts, where its inputs came from (argument names, and the
 * task runs that fed them), its result or error, and its own log lines. Reached from a Gantt
 * bar, a graph node, a log line or the task runs table of its flow run.
 */
export function TaskRunPage({ id }: { id: string }) {
  const zone = useDisplayZone();
  const task = useApi(id, () => call("readTaskRun", { params: { id } }));
  const states = useApi(id, () => call("taskRunStates", { params: { id }, query: { limit: 500 } }));
  const flowRunId = task.data?.flow_run_id ?? null;
  const flowRun = useApi(flowRunId, () => call("readFlowRun", { params: { id: flowRunId ?? "" } }));
  const sink = useRef<((line: LogLine) => void) | null>(null);
  if (task.error) return <PageError what="Task run" error={task.error} back={{ to: "/runs", label: "All flow runs" }} />;
  if (!task.data) return <Loading what="the task run" />;
  const t = task.data;
  const now = Date.now();
  const error = t.state.data?.error;
  const hasResult = t.state_type === "COMPLETED" && t.state.data && "result" in t.state.data;
  const inputs = Object.entries(t.task_inputs);
  return (
    <>
      <div className="page-head">
        <h1>{t.name}</h1>
        <StateBadge type={t.state_type} name={t.state_name} />
      </div>
      <dl className="facts">
        <dt>ID</dt>
        <dd>
          <Id id={t.id} />
        </dd>
        <dt>Flow run</dt>
        <dd>
          <Link to={`/runs/${t.flow_run_id}`}>{flowRun.data?.name ?? "its flow run"}</Link>
          {flowRun.data ? ` (${flowRun.data.flow_name})` : ""}
        </dd>
        <dt>Task</dt>
        <dd>
          <code>{t.task_key}</code>
        </dd>
        <dt>Started</dt>
        <dd>
          <Time iso={t.start_time} />
        </dd>
        <dt>Ended</dt>
        <dd>
          <Time iso={t.end_time} />
        </dd>
        <dt>Duration</dt>
        <dd>{t.start_time ? formatDuration((t.end_time ? Date.parse(t.end_time) : now) - Date.parse(t.start_time)) : "–"}</dd>
        <dt>Attempts</dt>
        <dd>
          {t.run_count}
          {t.max_retries > 0 ? ` (retries allowed: ${t.max_retries})` : ""}
        </dd>
        {t.subflow_run_id && (
          <>
            <dt>Subflow run</dt>
            <dd>
              <Link to={`/runs/${t.subflow_run_id}`}>its subflow run</Link>
            </dd>
          </>
        )}
      </dl>
      {t.state.message && !error && <p className="state-message">{localizeTimes(t.state.message, zone)}</p>}
      {error && (
        <section>
          <h2>Error</h2>
          <div className="alert error-box">{error.stack ? <pre aria-label="Error stack">{error.stack}</pre> : <p>{`${error.name}: ${error.message}`}</p>}</div>
        </section>
      )}
      <section>
        <h2>Inputs</h2>
        {inputs.length === 0 ? (
          <p className="muted">No inputs recorded.</p>
        ) : (
          <ul className="plain">
            {inputs.map(([argument, from]) => (
              <li key={argument}>
                <code>{argument}</code>
                {from.map((input) => (
                  <span key={`${input.input_type}-${input.id}`}>
                    {" ← "}
                    {input.input_type === "task_run" ? <Link to={`/task-runs/${input.id}`}>task run {input.id.slice(0, 8)}</Link> : `${input.input_type} ${input.id}`}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        )}
      </section>
      {hasResult && (
        <section>
          <h2>Result</h2>
          <JsonBlock value={t.state.data?.result ?? null} label="Result" />
        </section>
      )}
      <section>
        <h2>State history</h2>
        <ErrorAlert error={states.error} />
        {states.data && <StateTimeline states={states.data.items} now={now} errorStateId={error ? t.state.id : undefined} />}
      </section>
      <section>
        <h2>Logs</h2>
        <LogsPanel flowRunId={t.flow_run_id} taskRunId={t.id} runName={t.name} sink={sink} refreshKey={0} />
      </section>
    </>
  );
}

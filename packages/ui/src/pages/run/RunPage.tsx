import { isTerminal } from "@baton/core";
import { useCallback, useEffect, useRef, useState } from "react";
import { call, enc } from "../../api/client";
import { useLive, type LiveMessage } from "../../api/live";
import type { Deployment, State } from "../../api/types";
import { Link } from "../../router/router";
import { ArtifactList } from "../../components/ArtifactList";
import { Id, Time } from "../../components/Copy";
import { ErrorAlert, Loading } from "../../components/ErrorAlert";
import { GanttChart } from "../../components/GanttChart";
import { JsonBlock } from "../../components/Json";
import { RunsTable, runDuration } from "../../components/RunsTable";
import { StateBadge } from "../../components/StateBadge";
import { TaskGraph } from "../../components/TaskGraph";
import type { LogLine } from "../../lib/logs";
import { localizeTimes } from "../../lib/time";
import { useApi } from "../../lib/use-api";
import { PageError } from "../PageError";
import { JobConfiguration, jobConfigurationOf } from "./JobConfiguration";
import { LogsPanel } from "./LogsPanel";
import { RunActions } from "./RunActions";
import { fetchTaskRunsOfRun } from "./fetch-task-runs";
import { StateTimeline } from "./StateTimeline";
import { TaskRunsTable } from "./TaskRunsTable";
import { WhyBanner } from "./WhyBanner";
import { useDisplayZone } from "../../lib/display-zone";

const NOT_STARTED = new Set(["SCHEDULED", "PENDING"]);

export function RunPage({ id }: { id: string }) {
  const zone = useDisplayZone();
  const run = useApi(id, () => call("readFlowRun", { params: { id } }));
  const states = useApi(id, () => call("flowRunStates", { params: { id }, query: { limit: 500 } }));
  const tasks = useApi(id, () => fetchTaskRunsOfRun(id));
  const children = useApi(id, () => call("listFlowRuns", { query: { parent_flow_run_id: id, limit: 100 } }));
  const artifacts = useApi(id, () => call("listArtifacts", { query: { flow_run_id: id, limit: 100 } }));
  const deploymentId = run.data?.deployment_id ?? null;
  const deployment = useApi(deploymentId, () => call("readDeployment", { params: { id: deploymentId ?? "" } }));
  const [now, setNow] = useState(Date.now);
  // Live log lines go straight into the panel's list (functional updates: none lost in a burst).
  const logSink = useRef<((line: LogLine) => void) | null>(null);
  const [logsKey, setLogsKey] = useState(0);

  const reloadAll = useCallback(() => {
    run.reload();
    states.reload();
    tasks.reload();
    children.reload();
    artifacts.reload();
  }, [run.reload, states.reload, tasks.reload, children.reload, artifacts.reload]);

  // State events come one per state; fold bursts into one refetch.
  const pending = useRef<number | undefined>(undefined);
  const onLive = useCallback(
    (message: LiveMessage) => {
      if (message.type === "log") {
        logSink.current?.(message.data);
        return;
      }
      if (message.type === "resync") setLogsKey((k) => k + 1);
      if (pending.current !== undefined) return;
      pending.current = window.setTimeout(() => {
        pending.current = undefined;
        reloadAll();
      }, 300);
    },
    [reloadAll],
  );
  useEffect(() => () => window.clearTimeout(pending.current), []);
  useLive({ types: "flow_run,log", flow_run_id: id }, onLive);

  const running = run.data ? !isTerminal(run.data.state_type) : false;
  // Task runs have no events of their own: while the run runs, look again every few seconds.
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => {
      setNow(Date.now());
      tasks.reload();
      artifacts.reload();
    }, 3000);
    return () => window.clearInterval(timer);
  }, [running, tasks.reload, artifacts.reload]);

  if (run.error) return <PageError what="Flow run" error={run.error} back={{ to: "/runs", label: "All flow runs" }} />;
  if (!run.data) return <Loading what="the flow run" />;
  const r = run.data;
  const error = r.state.data?.error;
  const hasResult = r.state_type === "COMPLETED" && r.state.data && "result" in r.state.data;

  return (
    <>
      <div className="page-head">
        <h1>{r.name}</h1>
        <StateBadge type={r.state_type} name={r.state_name} />
      </div>
      <dl className="facts">
        <dt>ID</dt>
        <dd>
          <Id id={r.id} />
        </dd>
        <dt>Flow</dt>
        <dd>
          <Link to={`/runs?flow=${enc(r.flow_name)}`}>{r.flow_name}</Link>
        </dd>
        {r.deployment_id && (
          <>
            <dt>Deployment</dt>
            <dd>
              <Link to={`/deployments/${r.deployment_id}`}>
                {r.flow_name}/{r.deployment_name ?? r.deployment_id}
              </Link>
            </dd>
          </>
        )}
        {r.work_pool_name && (
          <>
            <dt>Work pool</dt>
            <dd>
              <Link to={`/work-pools/${enc(r.work_pool_name)}`}>{r.work_pool_name}</Link>
              {r.work_queue_name ? ` / ${r.work_queue_name}` : ""}
              {r.worker_name ? ` · worker ${r.worker_name}` : ""}
            </dd>
          </>
        )}
        {r.parent_flow_run_id && (
          <>
            <dt>Parent run</dt>
            <dd>
              <Link to={`/runs/${r.parent_flow_run_id}`}>parent flow run</Link>
              {r.cancel_with_parent ? "" : " · not cancelled with it (cancelWithParent: false)"}
            </dd>
          </>
        )}
        <dt>Expected start</dt>
        <dd>
          <Time iso={r.expected_start_time} />
        </dd>
        <dt>Started</dt>
        <dd>
          <Time iso={r.start_time} />
        </dd>
        <dt>Ended</dt>
        <dd>
          <Time iso={r.end_time} />
        </dd>
        <dt>Duration</dt>
        <dd>{runDuration(r, now)}</dd>
        <dt>Attempts</dt>
        <dd>
          {r.run_count}
          {r.empirical_policy.retries > 0 ? ` (retries allowed: ${r.empirical_policy.retries})` : ""}
        </dd>
        {r.tags.length > 0 && (
          <>
            <dt>Tags</dt>
            <dd>
              {r.tags.map((t) => (
                <span key={t} className="tag">
                  {t}
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>
      {/* A failure's message is its error's first line: said once, in the Error section. */}
      {r.state.message && !error && <p className="state-message">{localizeTimes(r.state.message, zone)}</p>}

      {NOT_STARTED.has(r.state_type) && <WhyBanner flowRunId={r.id} stateKey={`${r.state.id}`} />}
      <RunActions run={r} deployment={deployment.data} onChanged={reloadAll} />

      {error && (
        <section>
          <h2>Error</h2>
          <div className="alert error-box">
            {error.stack ? (
              <pre aria-label="Error stack">{error.stack}</pre>
            ) : (
              <p>{error.message.startsWith(`${error.name}: `) ? error.message : `${error.name}: ${error.message}`}</p>
            )}
          </div>
        </section>
      )}

      <section>
        <h2>Logs</h2>
        <LogsPanel key={r.id} flowRunId={r.id} runName={r.name} sink={logSink} refreshKey={logsKey} tasks={tasks.data?.items} />
      </section>

      {artifacts.data && artifacts.data.items.length > 0 && (
        <section>
          <h2>Artifacts</h2>
          <ArtifactList artifacts={artifacts.data.items} />
        </section>
      )}
      <ErrorAlert error={artifacts.error} />

      <section>
        <h2>Task runs</h2>
        <ErrorAlert error={tasks.error} />
        {tasks.data?.truncated && (
          <p className="notice" role="note">
            This run has more than {tasks.data.items.length} task runs: the first {tasks.data.items.length} are shown.
          </p>
        )}
        {tasks.data && <GanttChart tasks={tasks.data.items} now={now} />}
        {tasks.data && <TaskRunsTable tasks={tasks.data.items} now={now} />}
      </section>

      <section>
        <h2>Task graph</h2>
        {tasks.data && <TaskGraph tasks={tasks.data.items} />}
      </section>

      <section>
        <h2>State history</h2>
        <ErrorAlert error={states.error} />
        {states.data && <StateTimeline states={states.data.items} now={now} errorStateId={error ? r.state.id : undefined} />}
      </section>

      <section>
        <h2>Parameters</h2>
        <JsonBlock value={r.parameters} label="Parameters" />
      </section>

      {hasResult && (
        <section>
          <h2>Result</h2>
          <JsonBlock value={r.state.data?.result ?? null} label="Result" />
        </section>
      )}

      <section>
        <h2>Job configuration</h2>
        <JobConfiguration path={jobConfigurationOf("flow_runs", r.id)} />
      </section>

      {children.data && children.data.items.length > 0 && (
        <section>
          <h2>Subflow runs</h2>
          <RunsTable runs={children.data.items} label="Subflow runs" />
        </section>
      )}
    </>
  );
}

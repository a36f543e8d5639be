import { useState } from "react";
import { call, enc } from "../../api/client";
import { useLiveRefresh } from "../../api/live";
import { Link, navigate } from "../../router/router";
import { useSession } from "../../session/session";
import { Id, Time } from "../../components/Copy";
import { ErrorAlert, Loading } from "../../components/ErrorAlert";
import { JsonBlock } from "../../components/Json";
import { RunForm } from "../../components/RunForm";
import { RunsTable } from "../../components/RunsTable";
import { useAction } from "../../lib/use-action";
import { useApi } from "../../lib/use-api";
import { PageError } from "../PageError";
import { Schedules } from "./Schedules";
import { JobConfiguration, jobConfigurationOf } from "../run/JobConfiguration";

export function DeploymentPage({ id }: { id: string }) {
  const { can } = useSession();
  const deployment = useApi(id, () => call("readDeployment", { params: { id } }));
  const runs = useApi(id, () => call("listFlowRuns", { query: { deployment_id: id, limit: 20 } }));
  const [refresh, setRefresh] = useState(0);
  const { busy, error, run: perform } = useAction();
  const refreshRuns = () => {
    runs.reload();
    setRefresh((r) => r + 1);
  };
  // No live updates for a deployment that is not there (a bad id would ask again and again).
  useLiveRefresh({ types: "flow_run", deployment_id: id }, refreshRuns, 500, !deployment.error);

  if (deployment.error) return <PageError what="Deployment" error={deployment.error} back={{ to: "/deployments", label: "All deployments" }} />;
  if (!deployment.data) return <Loading what="the deployment" />;
  const d = deployment.data;

  const toggle = () =>
    perform(async () => {
      await call(d.paused ? "resumeDeployment" : "pauseDeployment", { params: { id: d.id } });
      deployment.reload();
      refreshRuns();
    });

  return (
    <>
      <div className="page-head">
        <h1>
          {d.flow_name}/{d.name}
        </h1>
        {d.paused && <span className="tag warn">paused</span>}
      </div>
      {d.description && <p>{d.description}</p>}
      <dl className="facts">
        <dt>ID</dt>
        <dd>
          <Id id={d.id} />
        </dd>
        <dt>Entrypoint</dt>
        <dd>
          <code>{d.entrypoint}</code>
        </dd>
        {d.version && (
          <>
            <dt>Version</dt>
            <dd>{d.version}</dd>
          </>
        )}
        {d.source && (
          <>
            <dt>Source</dt>
            <dd>{[d.source.repository, d.source.branch, d.source.commit?.slice(0, 12)].filter(Boolean).join(" · ")}</dd>
          </>
        )}
        <dt>Concurrency limit</dt>
        <dd>{d.concurrency_limit ?? "none"}</dd>
        <dt>Updated</dt>
        <dd>
          <Time iso={d.updated} />
        </dd>
      </dl>

      <section>
        <h2>Schedules</h2>
        <Schedules
          deployment={d}
          refresh={refresh}
          onChanged={() => {
            deployment.reload();
            refreshRuns();
          }}
        />
        {can("deploy") && (
          <button type="button" className="secondary" disabled={busy} onClick={() => void toggle()}>
            {d.paused ? "Resume all schedules" : "Pause all schedules"}
          </button>
        )}
        <ErrorAlert error={error} />
      </section>

      {can("run") && (
        <section className="card">
          <h2>Run</h2>
          {d.parameter_schema === null && <p className="muted">The flow declared no parameter schema: parameters are free JSON.</p>}
          <RunForm deployment={d} submitLabel="Run" onCreated={(run) => navigate(`/runs/${run.id}`)} />
        </section>
      )}

      <section>
        <h2>Runs</h2>
        <ErrorAlert error={runs.error} />
        {runs.data && <RunsTable runs={runs.data.items} label="Runs" compact />}
        <p>
          <Link to={`/runs?deployment=${enc(d.id)}`}>All runs of this deployment</Link>
        </p>
      </section>

      <section>
        <h2>Work pool</h2>
        {d.work_pool_name ? (
          <p>
            <Link to={`/work-pools/${enc(d.work_pool_name)}`}>{d.work_pool_name}</Link>
            {d.work_queue_name ? ` / queue ${d.work_queue_name}` : ""}
          </p>
        ) : (
          <p className="muted">No work pool: runs happen where the deployment is served.</p>
        )}
      </section>

      <section>
        <h2>Job variables</h2>
        <JsonBlock value={d.job_variables} label="Job variables" />
      </section>

      <section>
        <h2>Job configuration</h2>
        <JobConfiguration path={jobConfigurationOf("deployments", d.id)} />
      </section>

      <section>
        <h2>Pull steps</h2>
        {d.pull_steps.length === 0 ? <p className="muted">None: the code is already where the run starts.</p> : <JsonBlock value={d.pull_steps} label="Pull steps" />}
      </section>

      <section>
        <h2>Default parameters</h2>
        <JsonBlock value={d.parameters} label="Default parameters" />
      </section>
    </>
  );
}

import { call } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { JsonBlock } from "../../components/Json";
import { useApi } from "../../lib/use-api";

/**
 * The job a worker gets (or would get) for a run or a deployment, rendered by the server as the
 * claim renders it: pool defaults < deployment < run variables, secrets left as references.
 */
export function JobConfiguration({ path }: { path: JobConfigurationOf }) {
  const view = useApi(`${path.route}:${path.id}`, () => call(path.route, { params: { id: path.id } }));
  if (view.error) return <ErrorAlert error={view.error} />;
  if (!view.data) return null;
  const { job_configuration, issues, work_pool_name, work_pool_type } = view.data;
  return (
    <>
      {work_pool_name && (
        <p className="muted">
          Work pool {work_pool_name} ({work_pool_type}); secrets stay <code>{"{{ baton.secrets.NAME }}"}</code> references until the worker launches the job.
        </p>
      )}
      {issues.length > 0 && (
        <ul className="issues">
          {issues.map((issue, i) => (
            <li key={i}>
              {issue.path && <code>{issue.path}</code>} {issue.message}
            </li>
          ))}
        </ul>
      )}
      {job_configuration ? <JsonBlock value={job_configuration} label="Job configuration" /> : issues.length === 0 && <p className="muted">Nothing to render.</p>}
    </>
  );
}

/** Which job configuration to show: a run's, or the one a deployment's next run would get. */
export interface JobConfigurationOf {
  route: "flowRunJobConfiguration" | "deploymentJobConfiguration";
  id: string;
}

export const jobConfigurationOf = (kind: "flow_runs" | "deployments", id: string): JobConfigurationOf => ({
  route: kind === "flow_runs" ? "flowRunJobConfiguration" : "deploymentJobConfiguration",
  id,
});
